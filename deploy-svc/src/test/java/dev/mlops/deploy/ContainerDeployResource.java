package dev.mlops.deploy;

import dev.mlops.images.ImageBuildException;
import dev.mlops.images.PlatformImages;
import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real container runtime for the container target: a registry on a free loopback port, podman's Docker Engine API on
 * a socket of its own (trusting that registry over plain HTTP), and the serving base image mlops/model-server built
 * offline from Debian's packages (cached in ~/.cache/mlops like {@code ./mlops images}) and pushed there.
 */
public class ContainerDeployResource implements QuarkusTestResourceLifecycleManager {

    static final Path IMAGE_CACHE = Path.of(System.getProperty("user.home"), ".cache", "mlops");

    static DockerRegistry registry;
    static PodmanService podman;
    /** {@code <registry>/mlops/model-server:<version>} */
    static String servingBase;

    @Override
    public Map<String, String> start() {
        try {
            Path folder = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "containers-")
                    .toAbsolutePath();
            registry = DockerRegistry.start(folder.resolve("registry"));
            podman = PodmanService.start(folder.resolve("podman"), List.of(registry.address()));
            Path repository = Path.of("..").toAbsolutePath().normalize();
            servingBase = new PlatformImages(repository, IMAGE_CACHE, line -> System.out.println("images: " + line))
                    .servingBase(Optional.of(registry.address()));
            // an unreachable registry is retried: two quick tries keep that test short
            return Map.of("mlops.deploy.container.docker-host", podman.dockerHost(),
                    "mlops.deploy.container.memory", "512M",
                    "mlops.stage.retry.max-tries", "2", "mlops.stage.retry.initial-backoff", "200ms");
        } catch (IOException e) {
            stop();
            throw new UncheckedIOException(e);
        } catch (ImageBuildException | RuntimeException e) {
            stop();
            throw new IllegalStateException("could not prepare the container runtime for the tests: " + e.getMessage(), e);
        }
    }

    @Override
    public void stop() {
        if (podman != null) {
            podman.close();
        }
        if (registry != null) {
            registry.close();
        }
    }
}
