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
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code docker-registry} (distribution 2.x) on a loopback port with a config of its own: no auth, storage in
 * a folder of its own, deletes enabled. Used by image-svc's tests and the benchmark (on a free port, stopped by
 * {@link #close()} or, at the latest, when the JVM that started it exits) and by {@code ./mlops up} (outliving it).
 */
public final class DockerRegistry implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");
    public static final String INSTALL_HINT =
            "install it with: apt-get update && apt-get install -y docker-registry (Debian package; ./mlops test installs it)";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final ServerProcess server;
    private final String address;

    private DockerRegistry(ServerProcess server, String address) {
        this.server = server;
        this.address = address;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts it on a free port with {@code folder/config.yml}, storage in {@code folder/storage} and its output in
     * {@code folder/registry.log}; it ends with this JVM at the latest.
     *
     * @throws IllegalStateException when the binary is missing, it exits or it does not answer within 30 s
     */
    public static DockerRegistry start(Path folder) {
        return start(folder.resolve("config.yml"), folder.resolve("storage"), "127.0.0.1:" + Ports.free(),
                folder.resolve("registry.log"), true);
    }

    /**
     * Writes {@code config} ({@link #writeConfiguration}), starts the registry with it (output appended to {@code log})
     * and waits until {@code /v2/} answers.
     *
     * @param address         {@code 127.0.0.1:PORT} it listens on
     * @param exitWithThisJvm killed when this JVM exits (tests); false for ./mlops up, whose registry outlives the CLI
     * @throws IllegalStateException when the binary is missing, it exits or it does not answer within 30 s (then it
     *                               is stopped); the message ends with the end of its log
     */
    public static DockerRegistry start(Path config, Path storage, String address, Path log, boolean exitWithThisJvm) {
        if (!isInstalled()) {
            throw new IllegalStateException("docker-registry is not installed at " + BINARY + "; " + INSTALL_HINT);
        }
        writeConfiguration(config, storage, address);
        ServerProcess server = ServerProcess.start("docker-registry", List.of(BINARY.toString(), "serve",
                        config.toString()), Map.of(), config.toAbsolutePath().getParent(), log, () -> answers(address),
                START_TIMEOUT, exitWithThisJvm);
        return new DockerRegistry(server, address);
    }

    /** The registry's {@code config.yml}: listening on {@code address}, images in {@code storage} (both created). */
    public static void writeConfiguration(Path config, Path storage, String address) {
        try {
            Files.createDirectories(config.toAbsolutePath().getParent());
            Files.createDirectories(storage);
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
                    """.formatted(storage.toAbsolutePath(), address));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the registry's configuration " + config, e);
        }
    }

    /** True when a registry on {@code address} ({@code host:port}) answers {@code GET /v2/} with 200. */
    public static boolean answers(String address) {
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        try {
            return HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notListening) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code 127.0.0.1:PORT}, as image references and Jib want it. */
    public String address() {
        return address;
    }

    /** Its process (pid, log), e.g. for a pid file. */
    public ServerProcess server() {
        return server;
    }

    /** SIGTERM, then SIGKILL after 10 s. */
    @Override
    public void close() {
        server.stop(STOP_GRACE);
    }
}
