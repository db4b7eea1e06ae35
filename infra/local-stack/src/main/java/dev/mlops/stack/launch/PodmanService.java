package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Debian's {@code podman system service}: the Docker Engine API on a unix socket of its own, so that Docker clients
 * (deploy-svc's container target, the tests) run real containers without a Docker daemon. Its configuration lives in
 * the given folder: {@code containers.conf} (runc and ulimits of 4096, what this kind of machine needs: crun cannot run
 * with hybrid cgroups and the default ulimits exceed what an unprivileged namespace may set) and
 * {@code registries.conf} (the given loopback registries as plain HTTP). For tests stopped by {@link #close()} or, at
 * the latest, when the JVM that started it exits; for {@code ./mlops up} outliving it. Containers it ran stay until
 * removed.
 */
public final class PodmanService implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/podman");
    public static final String INSTALL_HINT =
            "install it with: apt-get update && apt-get install -y podman runc (Debian packages; ./mlops test installs them)";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServerProcess server;
    private final Path socket;
    private final Map<String, String> environment;

    private PodmanService(ServerProcess server, Path socket, Map<String, String> environment) {
        this.server = server;
        this.socket = socket;
        this.environment = environment;
    }

    public static boolean isInstalled() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Writes the configuration into {@code folder}, starts the service on {@code folder/podman.sock} (its output in
     * {@code folder/podman.log}) and waits until {@code /_ping} answers; it ends with this JVM at the latest.
     *
     * @param insecureRegistries {@code host:port} of registries to reach over plain HTTP (the local docker-registry)
     * @throws IllegalStateException when podman is missing, exits, or does not answer within 30 s
     */
    public static PodmanService start(Path folder, List<String> insecureRegistries) {
        return start(folder, insecureRegistries, folder.resolve("podman.log"), true);
    }

    /**
     * Writes the configuration into {@code folder}, starts the service on {@code folder/podman.sock} (output appended
     * to {@code log}) and waits until {@code /_ping} answers.
     *
     * @param exitWithThisJvm killed when this JVM exits (tests); false for ./mlops up, whose service outlives the CLI
     * @throws IllegalStateException when podman is missing, exits, or does not answer within 30 s (then it is
     *                               stopped); the message ends with the end of its log
     */
    public static PodmanService start(Path folder, List<String> insecureRegistries, Path log,
                                      boolean exitWithThisJvm) {
        if (!isInstalled()) {
            throw new IllegalStateException("podman is not installed at " + BINARY + "; " + INSTALL_HINT);
        }
        Path socket = folder.resolve("podman.sock").toAbsolutePath();
        try {
            Files.createDirectories(folder);
            Map<String, String> environment = writeConfiguration(folder, insecureRegistries);
            Files.deleteIfExists(socket);
            ServerProcess server = ServerProcess.start("podman system service", List.of(BINARY.toString(),
                            "--log-level=warn", "system", "service", "--time=0", "unix://" + socket), environment,
                    folder, log, () -> answers(socket), START_TIMEOUT, exitWithThisJvm);
            return new PodmanService(server, socket, environment);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start podman system service in " + folder, e);
        }
    }

    /** The configuration files for {@code folder}, as the environment that points podman at them. */
    public static Map<String, String> writeConfiguration(Path folder, List<String> insecureRegistries)
            throws IOException {
        Path containersConf = folder.resolve("containers.conf");
        Files.writeString(containersConf, """
                [containers]
                default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]

                [engine]
                runtime = "runc"
                """);
        StringBuilder registries = new StringBuilder("unqualified-search-registries = []\n");
        for (String registry : insecureRegistries) {
            registries.append("\n[[registry]]\nlocation = \"").append(registry).append("\"\ninsecure = true\n");
        }
        Path registriesConf = folder.resolve("registries.conf");
        Files.writeString(registriesConf, registries);
        return Map.of("CONTAINERS_CONF", containersConf.toAbsolutePath().toString(),
                "CONTAINERS_REGISTRIES_CONF", registriesConf.toAbsolutePath().toString());
    }

    /** {@code unix:///…/podman.sock}, what DOCKER_HOST and Docker clients take. */
    public String dockerHost() {
        return "unix://" + socket;
    }

    public Path socket() {
        return socket;
    }

    /** CONTAINERS_CONF and CONTAINERS_REGISTRIES_CONF, for podman commands that should see what the service sees. */
    public Map<String, String> environment() {
        return environment;
    }

    /** A {@code podman} command line with this service's configuration (for tests and tools: load, run, rm). */
    public ProcessBuilder podman(String... args) {
        List<String> command = new ArrayList<>();
        command.add(BINARY.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        return builder;
    }

    /** True when a Docker Engine API on {@code socket} answers {@code GET /_ping} with 200. */
    public static boolean answers(Path socket) {
        if (!Files.exists(socket)) {
            return false;
        }
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(ByteBuffer.wrap("GET /_ping HTTP/1.0\r\nHost: podman\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buffer = ByteBuffer.allocate(256);
            channel.read(buffer);
            buffer.flip();
            String status = StandardCharsets.US_ASCII.decode(buffer).toString();
            return status.startsWith("HTTP/1.") && status.contains(" 200 ");
        } catch (IOException notAnswering) {
            return false;
        }
    }

    /** Its process (pid, log), e.g. for a pid file. */
    public ServerProcess server() {
        return server;
    }

    /** SIGTERM, then SIGKILL after 10 s. Containers it started keep running: remove them first. */
    @Override
    public void close() {
        server.stop(STOP_GRACE);
    }
}
