package dev.mlops.stack.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Properties;

/**
 * An S3 API on a folder: s3proxy's filesystem store. Each bucket is a directory under {@code --data-dir};
 * the bucket named by {@code --bucket} is created up front. Both are owner-only (0700), which is also what keeps the
 * bucket private: s3proxy's filesystem store takes a bucket directory that others may read for a public-read bucket
 * and answers unsigned requests for it (an anonymous GET listed every key), whatever the credentials.
 * Runs with s3proxy's all-in-one jar on the classpath (called by reflection, so this module's build never
 * mixes s3proxy's dependencies with Kafka's).
 * Usage: {@code --port 9000 --data-dir DIR --bucket B --access-key A --secret-key S [--parent-pid N]}
 */
public final class S3Server {

    public static void main(String[] argv) throws Exception {
        Args args = new Args(argv);
        ServerLifecycle.exitWithParent(args);
        Path dataDir = Path.of(args.get("data-dir")).toAbsolutePath();
        ownerOnly(dataDir);
        ownerOnly(dataDir.resolve(args.get("bucket")));
        int port = args.port("port");
        Properties p = new Properties();
        p.setProperty("s3proxy.endpoint", "http://127.0.0.1:" + port);
        p.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        p.setProperty("s3proxy.identity", args.get("access-key"));
        p.setProperty("s3proxy.credential", args.get("secret-key"));
        p.setProperty("jclouds.provider", "filesystem");
        p.setProperty("jclouds.filesystem.basedir", dataDir.toString());
        Path config = Files.createTempFile("s3proxy", ".conf");
        config.toFile().deleteOnExit();
        try (var out = Files.newOutputStream(config)) {
            p.store(out, null);
        }
        Class.forName("org.gaul.s3proxy.Main")
                .getMethod("main", String[].class)
                .invoke(null, (Object) new String[]{"--properties", config.toString()});
        awaitPort(port);
        ServerLifecycle.ready("s3 http://127.0.0.1:" + port);
        ServerLifecycle.awaitForever();
    }

    /** Creates the directory if needed and makes it rwx------, also when an older version left it readable to all. */
    private static void ownerOnly(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }

    private static void awaitPort(int port) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("s3proxy did not open port " + port + " within 60 s");
    }
}
