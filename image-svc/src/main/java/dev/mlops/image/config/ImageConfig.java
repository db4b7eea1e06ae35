package dev.mlops.image.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;

/** {@code mlops.image.*}: what the serving image is built from and where it goes (env: MLOPS_IMAGE_BASE, ...). */
@ConfigMapping(prefix = "mlops.image")
public interface ImageConfig {

    /**
     * The base image, model-server's image: a registry reference such as
     * {@code 127.0.0.1:5000/mlops/model-server:0.1.0-SNAPSHOT}, {@code tar:/path/to/base.tar} (a tarball
     * {@code docker save} or Jib wrote), or {@code scratch} (the model layer alone: not runnable). No default: without
     * it the stage fails saying how to get one ({@code ./mlops up} sets it).
     */
    Optional<String> base();

    /** Registry host[:port] to push to; without it the image is written as a tarball and stored as an artifact. */
    Optional<String> registry();

    /** Repository prefix inside the registry: images are named {@code <registry>/<repository>/<model name>}. */
    @WithDefault("mlops")
    String repository();

    /** Allow plain-HTTP / self-signed registries that are not on loopback (loopback ones always are). */
    @WithDefault("false")
    boolean insecureRegistries();

    Optional<String> registryUsername();

    Optional<String> registryPassword();

    /** Jib's base-layer and application-layer caches live under this folder. */
    @WithDefault("${java.io.tmpdir}/mlops-jib")
    Path cacheDir();
}
