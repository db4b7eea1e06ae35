package dev.mlops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.TarImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** No registry: the base image is a tarball Jib wrote (as {@code docker save} would), named by {@code tar:/path}. */
public class TarBaseResource implements QuarkusTestResourceLifecycleManager {

    public static Path baseTar;

    @Override
    public Map<String, String> start() {
        try {
            Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "tar-base-").toAbsolutePath();
            baseTar = root.resolve("model-server.tar");
            TestImages.baseImage().containerize(Containerizer.to(TarImage.at(baseTar).named("mlops/model-server:test"))
                    .setBaseImageLayersCache(root.resolve("jib-cache/base"))
                    .setApplicationLayersCache(root.resolve("jib-cache/application")));
            return Map.of(
                    "mlops.image.base", "tar:" + baseTar,
                    "mlops.image.cache-dir", root.resolve("image-svc-cache").toString());
        } catch (Exception e) {
            throw new IllegalStateException("could not write the base image tarball: " + e, e);
        }
    }

    @Override
    public void stop() {
    }
}
