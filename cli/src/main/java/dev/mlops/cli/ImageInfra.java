package dev.mlops.cli;

import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;
import dev.mlops.stack.launch.ServerProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The image registry (local-stack's {@link DockerRegistry}, storage in {@code <state>/data/registry} so that images
 * survive {@code down}) and {@code podman system service} (local-stack's {@link PodmanService}: the Docker Engine API
 * on {@code <state>/podman/podman.sock}), started like Kafka: processes that outlive the CLI, recorded in pid files.
 */
final class ImageInfra {

    /** A unix socket path is at most 107 bytes on Linux. */
    private static final int MAX_SOCKET_PATH = 107;

    private final LocalStack stack;
    private final StateDir state;

    ImageInfra(LocalStack stack) {
        this.stack = stack;
        this.state = stack.settings().state();
    }

    /** The registry on {@code address} ({@code 127.0.0.1:PORT}), once {@code /v2/} answers. */
    ServerProcess startRegistry(String address) {
        return DockerRegistry.start(state.registryConfig().resolve("config.yml"), state.registryData(), address,
                state.log(LocalStack.REGISTRY), false).server();
    }

    /** podman's Docker Engine API on {@code <state>/podman/podman.sock}, once {@code /_ping} answers. */
    ServerProcess startPodman() {
        Path socket = state.podmanSocket().toAbsolutePath();
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new CliException("the podman socket path " + socket + " is longer than a unix socket allows ("
                    + MAX_SOCKET_PATH + " bytes): choose a shorter MLOPS_STATE_DIR");
        }
        return PodmanService.start(state.podman(), List.of(stack.localRegistryAddress()),
                state.log(LocalStack.PODMAN), false).server();
    }
}
