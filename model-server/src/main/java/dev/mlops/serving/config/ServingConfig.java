package dev.mlops.serving.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mlops.serving.*}: limits of the scoring endpoint. */
@ConfigMapping(prefix = "mlops.serving")
public interface ServingConfig {

    /** Largest /invocations body accepted; larger ones answer 413. */
    @WithDefault("10M")
    MemorySize maxRequestSize();
}
