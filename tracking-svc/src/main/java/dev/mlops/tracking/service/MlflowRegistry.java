package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.ModelAliasRepository;
import dev.mlops.tracking.repository.ModelVersionRepository;
import dev.mlops.tracking.repository.ModelVersionTagRepository;
import dev.mlops.tracking.repository.RegisteredModelRepository;
import dev.mlops.tracking.repository.RegisteredModelTagRepository;
import dev.mlops.tracking.service.RegistryEntries.ModelEntry;
import dev.mlops.tracking.service.RegistryEntries.VersionEntry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The model registry as MLflow's API changes it (mlflow/store/model_registry/sqlalchemy_store.py), over the tables
 * the pipeline registers its models in. Writes to a model hold its lock, as {@link ModelRegistry}'s do.
 */
@ApplicationScoped
public class MlflowRegistry {

    static final int MAX_TAG_VALUE_LENGTH = 5000;

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final RegisteredModelTagRepository modelTags;
    private final ModelVersionTagRepository versionTags;
    private final RegistryEntries entries;
    private final RunService runs;
    private final Locks locks;

    public MlflowRegistry(RegisteredModelRepository models, ModelVersionRepository versions,
                          ModelAliasRepository aliases, RegisteredModelTagRepository modelTags,
                          ModelVersionTagRepository versionTags, RegistryEntries entries,
                          RunService runs, Locks locks) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.modelTags = modelTags;
        this.versionTags = versionTags;
        this.entries = entries;
        this.runs = runs;
        this.locks = locks;
    }

    @Transactional
    public ModelEntry createModel(String name, String description, Map<String, String> tags) {
        RegistryRules.requireName("name", name);
        RegistryRules.requireDescription(description);
        tags.forEach(RegistryRules::requireTag);
        locks.lockModel(name);
        requireFree(name);
        RegisteredModel model = models.persistNew(name, description);
        tags.forEach((key, value) -> modelTags.upsert(model.id, key, value));
        return entries.model(model);
    }

    @Transactional
    public ModelEntry model(String name) {
        return entries.model(entries.requireModel(name));
    }

    @Transactional
    public List<ModelEntry> allModels() {
        return entries.allModels();
    }

    /** The versions and aliases follow: they belong to the model, not to its name. */
    @Transactional
    public ModelEntry rename(String name, String newName) {
        RegistryRules.requireName("new_name", newName);
        Stream.of(name, newName).sorted().forEach(locks::lockModel);
        RegisteredModel model = entries.requireModel(name);
        requireFree(newName);
        model.name = newName;
        model.updatedAt = DbClock.now();
        return entries.model(model);
    }

    @Transactional
    public ModelEntry updateModel(String name, String description) {
        RegistryRules.requireDescription(description);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        model.description = description;
        model.updatedAt = DbClock.now();
        return entries.model(model);
    }

    /** The model goes with its versions, their tags, its tags and aliases (the database cascades the rest). */
    @Transactional
    public void deleteModel(String name) {
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        aliases.delete("modelId", model.id);
        models.delete(model);
    }

    @Transactional
    public void setModelTag(String name, String key, String value) {
        RegistryRules.requireTag(key, value);
        locks.lockModel(name);
        modelTags.upsert(entries.requireModel(name).id, key, value);
    }

    /** A tag the model lacks is no error, as in MLflow. */
    @Transactional
    public void deleteModelTag(String name, String key) {
        RegistryRules.requireTagKey(key);
        locks.lockModel(name);
        modelTags.remove(entries.requireModel(name).id, key);
    }

    /**
     * The next version number, READY at once. A run_id must name a run of this server; the source must not be a
     * local path or hold relative parts (MLflow's _validate_source).
     */
    @Transactional
    public VersionEntry createVersion(String name, String source, String runId, String runLink, String description,
                                      Map<String, String> tags) {
        RegistryRules.requireName("name", name);
        RegistryRules.requireSource(source);
        RegistryRules.requireDescription(description);
        tags.forEach(RegistryRules::requireTag);
        if (runId != null) {
            runs.require(runId);
        }
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        ModelVersion version = versions.persistNext(model, runId, null, source);
        version.runLink = runLink;
        version.description = description;
        tags.forEach((key, value) -> versionTags.upsert(version.id, key, value));
        return entries.version(model, version);
    }

    @Transactional
    public VersionEntry version(String name, String version) {
        RegisteredModel model = entries.requireModel(name);
        return entries.version(model, entries.requireVersion(model, version));
    }

    @Transactional
    public List<VersionEntry> allVersions() {
        return entries.allVersions();
    }

    @Transactional
    public VersionEntry updateVersion(String name, String version, String description) {
        RegistryRules.requireDescription(description);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        ModelVersion found = entries.requireVersion(model, version);
        found.description = description;
        touch(model, found);
        return entries.version(model, found);
    }

    /** Its aliases and tags go with it; its number is not given again. */
    @Transactional
    public void deleteVersion(String name, String version) {
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        ModelVersion found = entries.requireVersion(model, version);
        aliases.delete("modelId = ?1 and version = ?2", model.id, found.version);
        versions.delete(found);
        model.updatedAt = DbClock.now();
    }

    @Transactional
    public void setVersionTag(String name, String version, String key, String value) {
        RegistryRules.requireTag(key, value);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        versionTags.upsert(entries.requireVersion(model, version).id, key, value);
    }

    @Transactional
    public void deleteVersionTag(String name, String version, String key) {
        RegistryRules.requireTagKey(key);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        versionTags.remove(entries.requireVersion(model, version).id, key);
    }

    /** @param archiveExisting move the model's other versions in that stage to Archived (Staging and Production only) */
    @Transactional
    public VersionEntry transitionStage(String name, String version, String stage, boolean archiveExisting) {
        String canonical = RegistryRules.canonicalStage(stage);
        if (archiveExisting && !RegistryRules.ACTIVE_STAGES.contains(canonical)) {
            throw new InvalidInput("archive_existing_versions", "Model version transition cannot archive existing"
                    + " model versions because '" + canonical + "' is not an Active stage. Valid stages are "
                    + String.join(", ", RegistryRules.ACTIVE_STAGES));
        }
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        ModelVersion found = entries.requireVersion(model, version);
        if (archiveExisting) {
            versions.oldestFirst(model.id).stream()
                    .filter(v -> v.version != found.version && v.currentStage.equals(canonical))
                    .forEach(v -> {
                        v.currentStage = RegistryRules.ARCHIVED;
                        v.lastUpdatedAt = DbClock.now();
                    });
        }
        found.currentStage = canonical;
        touch(model, found);
        return entries.version(model, found);
    }

    /** @param stages empty: every stage */
    @Transactional
    public List<VersionEntry> latestVersions(String name, List<String> stages) {
        List<String> wanted = (stages.isEmpty() ? RegistryRules.STAGES : stages).stream()
                .map(RegistryRules::canonicalStage).toList();
        RegisteredModel model = entries.requireModel(name);
        return entries.latestPerStage(model).values().stream()
                .filter(v -> wanted.contains(v.currentStage))
                .map(v -> entries.version(model, v)).toList();
    }

    /** Creates or moves the alias. A registry change only: it deploys nothing (the pipeline's deploy stage does). */
    @Transactional
    public void setAlias(String name, String alias, String version) {
        RegistryRules.requireAlias(alias);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        aliases.point(model.id, alias, entries.requireVersion(model, version).version);
        model.updatedAt = DbClock.now();
    }

    /** An alias the model lacks is no error, as in MLflow. */
    @Transactional
    public void deleteAlias(String name, String alias) {
        RegistryRules.requireAlias(alias);
        locks.lockModel(name);
        RegisteredModel model = entries.requireModel(name);
        aliases.find(model.id, alias).ifPresent(aliases::delete);
        model.updatedAt = DbClock.now();
    }

    /** MLflow answers an alias the model lacks with INVALID_PARAMETER_VALUE, not RESOURCE_DOES_NOT_EXIST. */
    @Transactional
    public VersionEntry byAlias(String name, String alias) {
        RegisteredModel model = entries.requireModel(name);
        int version = aliases.find(model.id, alias).orElseThrow(() -> new InvalidInput("alias",
                "Registered model alias " + Text.quote(alias) + " not found.")).version;
        return entries.version(model, entries.requireVersion(model, String.valueOf(version)));
    }

    private void requireFree(String name) {
        if (models.findByName(name).isPresent()) {
            throw new AlreadyExists("Registered Model (name=" + Text.quote(name) + ") already exists.");
        }
    }

    private static void touch(RegisteredModel model, ModelVersion version) {
        Instant now = DbClock.now();
        version.lastUpdatedAt = now;
        model.updatedAt = now;
    }
}
