package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.ModelAlias;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.ModelVersionTag;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.RegisteredModelTag;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.repository.ModelAliasRepository;
import dev.mlops.tracking.repository.ModelVersionRepository;
import dev.mlops.tracking.repository.ModelVersionTagRepository;
import dev.mlops.tracking.repository.RegisteredModelRepository;
import dev.mlops.tracking.repository.RegisteredModelTagRepository;
import dev.mlops.tracking.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry as MLflow's API shows it, read inside the caller's transaction: a model with its tags, aliases and
 * latest version per stage; a version with its tags, aliases and source. Also the lookups MLflow's errors name.
 */
@ApplicationScoped
public class RegistryEntries {

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final RegisteredModelTagRepository modelTags;
    private final ModelVersionTagRepository versionTags;
    private final RunRepository runs;
    private final ArtifactLocations locations;
    private final MlflowArtifactPaths artifactPaths;

    public RegistryEntries(RegisteredModelRepository models, ModelVersionRepository versions,
                           ModelAliasRepository aliases, RegisteredModelTagRepository modelTags,
                           ModelVersionTagRepository versionTags, RunRepository runs, ArtifactLocations locations,
                           MlflowArtifactPaths artifactPaths) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.modelTags = modelTags;
        this.versionTags = versionTags;
        this.runs = runs;
        this.locations = locations;
        this.artifactPaths = artifactPaths;
    }

    /** @param latestVersions the newest version of each stage, as MLflow's latest_versions */
    public record ModelEntry(RegisteredModel model, List<RegisteredModelTag> tags, List<VersionEntry> latestVersions,
                             List<ModelAlias> aliases) {
    }

    /** @param source where MLflow clients download the version from ({@link #source}) */
    public record VersionEntry(String modelName, ModelVersion version, String source, List<ModelVersionTag> tags,
                               List<String> aliases) {
    }

    public ModelEntry model(RegisteredModel model) {
        List<VersionEntry> latest = latestPerStage(model).values().stream().map(v -> version(model, v)).toList();
        return new ModelEntry(model, modelTags.of(model.id), latest, aliases.forModel(model.id));
    }

    public VersionEntry version(RegisteredModel model, ModelVersion version) {
        List<String> names = aliases.forModel(model.id).stream()
                .filter(a -> a.version == version.version).map(a -> a.alias).toList();
        return new VersionEntry(model.name, version, source(version), versionTags.of(version.id), names);
    }

    /** The newest version in each stage, stages in the order their first version was created (MLflow's dict). */
    public Map<String, ModelVersion> latestPerStage(RegisteredModel model) {
        Map<String, ModelVersion> latest = new LinkedHashMap<>();
        versions.oldestFirst(model.id).forEach(v -> latest.put(v.currentStage, v));
        return latest;
    }

    public List<ModelEntry> allModels() {
        return models.listAll().stream().map(this::model).toList();
    }

    public List<VersionEntry> allVersions() {
        List<VersionEntry> all = new ArrayList<>();
        for (RegisteredModel model : models.listAll()) {
            versions.oldestFirst(model.id).forEach(v -> all.add(version(model, v)));
        }
        return all;
    }

    public RegisteredModel requireModel(String name) {
        return models.findByName(name)
                .orElseThrow(() -> new NotFound("Registered Model with name=" + Text.quote(name) + " not found"));
    }

    /** @param version MLflow sends it as a string; one that is not a whole number is refused naming the field */
    public ModelVersion requireVersion(RegisteredModel model, String version) {
        int number;
        try {
            number = Integer.parseInt(version.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput("version", "Parameter 'version' must be an integer, got '" + Text.quote(version) + "'.");
        }
        return versions.find(model.id, number).orElseThrow(() -> new NotFound("Model Version (name="
                + Text.quote(model.name) + ", version=" + number + ") not found"));
    }

    /**
     * A version the pipeline registered from its run's bundle is downloaded through the artifact proxy, like every
     * artifact of that run ({@code mlflow-artifacts:/<experiment>/<run>/artifacts/...}); any other version answers
     * the source it was created with.
     */
    private String source(ModelVersion version) {
        if (version.attempt == null || version.runId == null
                || locations.uriProblem(version.runId, version.artifactUri).isPresent()) {
            return version.artifactUri;
        }
        Run run = runs.findById(version.runId);
        return run == null ? version.artifactUri
                : artifactPaths.mlflowUri(run.experimentId, URI.create(version.artifactUri));
    }
}
