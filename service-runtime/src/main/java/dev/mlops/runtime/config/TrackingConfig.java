package dev.mlops.runtime.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/** {@code mlops.tracking.*}: where tracking-svc answers (env: MLOPS_TRACKING_URL). */
@ConfigMapping(prefix = "mlops.tracking")
public interface TrackingConfig {

    @WithDefault("http://127.0.0.1:8080")
    String url();

    /** The API's bearer token (env: MLOPS_API_TOKEN); empty when tracking-svc asks for none. */
    Optional<String> apiToken();
}
