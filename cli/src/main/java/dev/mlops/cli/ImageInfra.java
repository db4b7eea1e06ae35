package dev.mlops.cli;

import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;
import dev.mlops.stack.launch.ServerProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The image registry (Debian's {@code docker-registry}, storage in {@code <state>/data/registry} so that images
 * survive {@code down}) and {@code podman system service} (the Docker Engine API on {@code <state>/podman/podman.sock},
 * configured by local-stack's {@link PodmanService#writeConfiguration}), started like Kafka: processes that outlive
 * the CLI, recorded in pid files. local-stack's {@link DockerRegistry} and {@link PodmanService} end with the JVM that
 * starts them (tests), so they are not used to start these.
 */
final class ImageInfra {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    /** A unix socket path is at most 107 bytes on Linux. */
    private static final int MAX_SOCKET_PATH = 107;

    private final LocalStack stack;
    private final StateDir state;

    ImageInfra(LocalStack stack) {
        this.stack = stack;
        this.state = stack.settings().state();
    }

    static boolean registryInstalled() {
        return DockerRegistry.isInstalled();
    }

    PidRecord startRegistry() {
        int port = stack.settings().registryPort();
        String address = Network.HOST + ":" + port;
        Path config = state.registryConfig().resolve("config.yml");
        try {
            Files.createDirectories(config.getParent());
            Files.createDirectories(state.registryData());
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
                    """.formatted(state.registryData(), address));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the registry's configuration " + config, e);
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                .timeout(Duration.ofSeconds(2)).build();
        return start(LocalStack.REGISTRY, List.of(DockerRegistry.BINARY.toString(), "serve", config.toString()),
                Map.of(), port, address, () -> {
                    try {
                        return http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                    } catch (IOException notYet) {
                        return false;
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return false;
                    }
                });
    }

    PidRecord startPodman() {
        Path socket = state.podmanSocket().toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new CliException("the podman socket path " + socket + " is longer than a unix socket allows ("
                    + MAX_SOCKET_PATH + " bytes): choose a shorter MLOPS_STATE_DIR");
        }
        Podman podman = stack.podman();
        try {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("could not remove the old socket " + socket, e);
        }
        List<String> command = List.of(PodmanService.BINARY.toString(), "--log-level=warn", "system",
                "service", "--time=0", LocalStack.dockerHostOf(socket));
        return start(LocalStack.PODMAN, command, podman.environment(), 0, LocalStack.dockerHostOf(socket),
                () -> answers(socket));
    }

    private PidRecord start(String name, List<String> command, Map<String, String> env, int port, String address,
                            BooleanSupplier up) {
        Path log = state.log(name);
        ProcessBuilder builder = ServiceLauncher.detached(command, state, log, env);
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            PidRecord record = PidRecord.of(name, process.toHandle(), port, address, log);
            record.write(state.pids());
            long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    PidRecord.delete(state.pids(), name);
                    throw new CliException(name + " exited with code " + process.exitValue() + " at start; the end of"
                            + " its log (" + log + "):\n" + Logs.tail(log, logStart, 20));
                }
                if (up.getAsBoolean()) {
                    return record;
                }
                Thread.sleep(50);
            }
            ServerProcess.stop(process.toHandle(), Duration.ofSeconds(5));
            PidRecord.delete(state.pids(), name);
            throw new CliException(name + " did not answer on " + address + " within " + START_TIMEOUT.toSeconds()
                    + " s and was stopped; the end of its log (" + log + "):\n" + Logs.tail(log, logStart, 20));
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while " + name + " started");
        }
    }

    /** True when the Docker Engine API on {@code socket} answers {@code GET /_ping} with 200. */
    static boolean answers(Path socket) {
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
}
