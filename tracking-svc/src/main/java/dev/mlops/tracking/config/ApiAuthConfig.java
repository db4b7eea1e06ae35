package dev.mlops.tracking.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** {@code mlops.api.*}: who may call the API (env: MLOPS_API_TOKEN, MLOPS_API_AUTH). */
@ConfigMapping(prefix = "mlops.api")
public interface ApiAuthConfig {

    /** The bearer token every request outside /q/* must carry; required unless {@link #auth()} is NONE. */
    Optional<String> token();

    /** TOKEN (the default) or NONE, which runs the API open: only for a deliberate, isolated setup. */
    @WithDefault("token")
    Mode auth();

    enum Mode {
        TOKEN, NONE
    }
}
