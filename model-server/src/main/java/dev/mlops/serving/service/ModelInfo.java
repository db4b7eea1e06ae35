package dev.mlops.serving.service;

import java.util.Map;
import java.util.Optional;

/**
 * Who the served model is, for /version and the logs: from the bundle metadata ({@code model_name},
 * {@code model_version}, {@code run_id}) unless the deployer configured a name or registry version.
 */
public record ModelInfo(String uri, String name, String version, String runId) {

    public static ModelInfo of(String uri, Map<String, String> metadata, Optional<String> name, Optional<String> version) {
        return new ModelInfo(uri, name.orElse(metadata.get("model_name")),
                version.orElse(metadata.get("model_version")), metadata.get("run_id"));
    }
}
