package dev.mlops.tracking.rest;

import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.service.ModelRegistry;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The JSON requests and answers of {@code /models}. */
public final class ModelViews {

    private ModelViews() {
    }

    public record CreateModelRequest(String name, String description) {
    }

    public record CreateVersionRequest(String runId, String artifactUri, Integer attempt) {
    }

    public record SetAliasRequest(Integer version) {
    }

    public record ModelView(String name, String description, Instant createdAt, Instant updatedAt,
                            VersionView latestVersion, Map<String, Integer> aliases) {
    }

    public record ModelList(List<ModelView> models) {
    }

    public record VersionView(String name, int version, String runId, int attempt, String artifactUri, String status,
                              Instant createdAt, List<String> aliases) {
    }

    public record VersionList(List<VersionView> versions) {
    }

    public static ModelView of(ModelRegistry.ModelDetails details) {
        RegisteredModel model = details.model();
        return new ModelView(model.name, model.description, model.createdAt, model.updatedAt,
                details.latestVersion().map(ModelViews::of).orElse(null), details.aliases());
    }

    public static VersionView of(ModelRegistry.VersionDetails details) {
        ModelVersion v = details.version();
        return new VersionView(details.modelName(), v.version, v.runId, v.attempt, v.artifactUri, v.status,
                v.createdAt, details.aliases());
    }
}
