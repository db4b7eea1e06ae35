package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.service.RegistryEntries.ModelEntry;
import dev.mlops.tracking.service.RegistryEntries.VersionEntry;

import java.util.List;

/** MLflow's registry messages (model_registry.proto) as JSON: snake_case, versions as strings, times in epoch ms. */
final class RegistryViews {

    private RegistryViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RegisteredModelView(String name, long creationTimestamp, long lastUpdatedTimestamp, String description,
                               List<ModelVersionView> latestVersions, List<MlflowViews.KeyValue> tags,
                               List<AliasView> aliases) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ModelVersionView(String name, String version, long creationTimestamp, long lastUpdatedTimestamp,
                            String currentStage, String description, String source, String runId, String status,
                            String runLink, List<MlflowViews.KeyValue> tags, List<String> aliases) {
    }

    record AliasView(String alias, String version) {
    }

    static RegisteredModelView model(ModelEntry entry) {
        RegisteredModel m = entry.model();
        return new RegisteredModelView(m.name, m.createdAt.toEpochMilli(), m.updatedAt.toEpochMilli(), m.description,
                entry.latestVersions().stream().map(RegistryViews::version).toList(),
                entry.tags().stream().map(t -> new MlflowViews.KeyValue(t.key, t.value)).toList(),
                entry.aliases().stream().map(a -> new AliasView(a.alias, String.valueOf(a.version))).toList());
    }

    static ModelVersionView version(VersionEntry entry) {
        ModelVersion v = entry.version();
        return new ModelVersionView(entry.modelName(), String.valueOf(v.version), v.createdAt.toEpochMilli(),
                v.lastUpdatedAt.toEpochMilli(), v.currentStage, v.description, entry.source(), v.runId, v.status,
                v.runLink, entry.tags().stream().map(t -> new MlflowViews.KeyValue(t.key, t.value)).toList(),
                entry.aliases());
    }
}
