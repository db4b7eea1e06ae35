package dev.mlops.serving.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** {@code mlops.model.*}: which bundle to serve (env MLOPS_MODEL_URI, MLOPS_MODEL_NAME, MLOPS_MODEL_VERSION). */
@ConfigMapping(prefix = "mlops.model")
public interface ModelConfig {

    /** A folder holding {@code model/model.bin} etc. ({@code file:/opt/model} or a plain path), or {@code s3://bucket/runs/<runId>/model}. */
    @WithDefault("file:/opt/model")
    String uri();

    /** Overrides the bundle metadata's {@code model_name} in /version. */
    Optional<String> name();

    /** The registry version, when the deployer knows it and the bundle metadata does not. */
    Optional<String> version();

    /** false: start with no model (not ready) and wait for one through the admin API (deploy-svc's warm server). */
    @WithDefault("true")
    boolean loadAtStart();

    /**
     * The token the admin API ({@code /admin/model/...}) requires in {@code X-Mlops-Admin-Token}; without one the
     * admin API does not exist (404).
     */
    Optional<String> adminToken();
}
