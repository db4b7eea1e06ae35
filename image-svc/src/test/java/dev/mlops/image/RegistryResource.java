package dev.mlops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.RegistryImage;
import dev.mlops.stack.launch.DockerRegistry;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A real container registry for the tests: local-stack's {@link DockerRegistry} (Debian's {@code docker-registry},
 * storage under target/), plus a small base image pushed to it with Jib, standing in for the model-server image.
 * Fails (never skips) when the registry binary is not installed.
 */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {

    public static final String BASE_REPOSITORY = "mlops/model-server";

    private DockerRegistry registry;

    @Override
    public Map<String, String> start() {
        Path root;
        try {
            root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "registry-").toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!DockerRegistry.isInstalled()) {
            throw new IllegalStateException("the image-svc tests need a container registry but docker-registry is not"
                    + " installed at " + DockerRegistry.BINARY + "; " + DockerRegistry.INSTALL_HINT);
        }
        registry = DockerRegistry.start(root);
        try {
            String base = registry.address() + "/" + BASE_REPOSITORY + ":test";
            Path cache = Files.createDirectories(root.resolve("jib-cache"));
            TestImages.baseImage().containerize(Containerizer.to(RegistryImage.named(base))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(cache.resolve("base"))
                    .setApplicationLayersCache(cache.resolve("application")));
            return Map.of(
                    "mlops.image.registry", registry.address(),
                    "mlops.image.base", base,
                    "mlops.image.cache-dir", root.resolve("image-svc-cache").toString());
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not push the base image to the test registry: " + e, e);
        }
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.close();
        }
    }
}
