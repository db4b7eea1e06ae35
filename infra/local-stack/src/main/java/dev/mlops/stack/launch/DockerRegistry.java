package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Debian's {@code docker-registry} (distribution 2.x) on a free loopback port with a config of its own: no auth,
 * storage in the given folder, deletes enabled. Used by image-svc's tests and by the benchmark; stopped by
 * {@link #close()} or, at the latest, when the JVM that started it exits.
 */
public final class DockerRegistry implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    public static final String INSTALL_HINT =
            "install it with: apt-get update && apt-get install -y docker-registry (Debian package; CI installs it)";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final Process process;
    private final String address;

    private DockerRegistry(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts it with {@code folder/config.yml}, storage in {@code folder/storage} and its output in
     * {@code folder/registry.log}, and waits until {@code /v2/} answers.
     *
     * @throws IllegalStateException when the binary is missing, it exits or it does not answer within 20 s
     */
    public static DockerRegistry start(Path folder) {
        if (!isInstalled()) {
            throw new IllegalStateException("docker-registry is not installed at " + BINARY + "; " + INSTALL_HINT);
        }
        String address = "127.0.0.1:" + Ports.free();
        try {
            Files.createDirectories(folder);
            Path config = folder.resolve("config.yml");
            Files.writeString(config, """
                    version: 0.1
                    log: {level: warn, fields: {service: registry}}
                    storage:
                      cache: {blobdescriptor: inmemory}
                      filesystem: {rootdirectory: %s}
                      delete: {enabled: true}
                    http:
                      addr: %s
                      headers: {X-Content-Type-Options: [nosniff]}
                    """.formatted(folder.resolve("storage"), address));
            Path log = folder.resolve("registry.log");
            Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            DockerRegistry registry = new DockerRegistry(process, address);
            try {
                registry.awaitUp(log);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                registry.close();
                throw new IllegalStateException("interrupted while docker-registry started", e);
            }
            return registry;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start docker-registry in " + folder, e);
        }
    }

    /** {@code 127.0.0.1:PORT}, as image references and Jib want it. */
    public String address() {
        return address;
    }

    private void awaitUp(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("docker-registry did not answer on " + address + " within "
                + START_TIMEOUT.toSeconds() + " s: " + Files.readString(log));
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        ServerProcess.stop(process.toHandle(), STOP_GRACE);
    }
}
