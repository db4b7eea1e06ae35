package dev.mlops.deploy.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * {@code mlops.serving.*}: model-server's own setting, read here too so that the serving front and the model-servers
 * it starts apply one limit.
 */
@ConfigMapping(prefix = "mlops.serving")
public interface ServingLimits {

    /** Largest /invocations body; the front answers 413 as soon as a body passes it (MLOPS_SERVING_MAX_REQUEST_SIZE). */
    @WithDefault("10M")
    MemorySize maxRequestSize();
}
