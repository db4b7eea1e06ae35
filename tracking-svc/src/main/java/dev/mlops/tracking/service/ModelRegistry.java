package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.ModelAlias;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.ModelAliasRepository;
import dev.mlops.tracking.repository.ModelVersionRepository;
import dev.mlops.tracking.repository.RegisteredModelRepository;
import dev.mlops.tracking.repository.RunRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * MLflow-like model registry: registered models, numbered versions (each the bundle one run attempt trained)
 * and aliases. Writes to one model hold its lock, so version numbers are gap-free and a re-delivered
 * registration (same run and attempt) finds the version it created the first time.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final int MAX_URI_LENGTH = 2048;
    public static final int MAX_DESCRIPTION_LENGTH = 5000;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final RegisteredModelRepository models;
    private final ModelVersionRepository versions;
    private final ModelAliasRepository aliases;
    private final Locks locks;
    private final ArtifactLocations locations;
    private final RunRepository runs;

    public ModelRegistry(RegisteredModelRepository models, ModelVersionRepository versions,
                         ModelAliasRepository aliases, Locks locks, ArtifactLocations locations, RunRepository runs) {
        this.models = models;
        this.versions = versions;
        this.aliases = aliases;
        this.locks = locks;
        this.locations = locations;
        this.runs = runs;
    }

    /**
     * A registered model with its newest version, its aliases (alias -> version) and the version whose run completed
     * a deploy last (what serves now; moving an alias does not deploy).
     */
    public record ModelDetails(RegisteredModel model, Optional<VersionDetails> latestVersion,
                               Map<String, Integer> aliases, Optional<Integer> servingVersion) {
    }

    public record VersionDetails(String modelName, ModelVersion version, List<String> aliases) {
    }

    /** @param created false when the same run attempt had registered this version before */
    public record Registration(VersionDetails version, boolean created) {
    }

    @Transactional
    public ModelDetails create(String name, String description) {
        checkName("name", name);
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new InvalidInput("description", "description must be at most " + MAX_DESCRIPTION_LENGTH
                    + " characters, got " + description.length());
        }
        locks.lockModel(name);
        if (models.findByName(name).isPresent()) {
            throw new AlreadyExists("registered model '" + name + "' already exists");
        }
        return details(models.persistNew(name, description));
    }

    /** @param after the name the previous page ended with; null for the first page */
    @Transactional
    public List<ModelDetails> list(String after, int limit) {
        return models.byName(after, limit).stream().map(this::details).toList();
    }

    @Transactional
    public ModelDetails get(String name) {
        return details(require(name));
    }

    /** Registers the bundle a run attempt trained, creating the registered model if it is missing. */
    @Transactional
    public Registration registerVersion(String name, String runId, String artifactUri, Integer attempt) {
        checkName("name", name);
        if (runId == null || runId.isBlank() || runId.length() > Run.MAX_ID_LENGTH) {
            throw new InvalidInput("runId", "runId must name the run that trained the model (1-"
                    + Run.MAX_ID_LENGTH + " characters)");
        }
        checkArtifactUri(runId, artifactUri);
        int runAttempt = attempt == null ? 1 : attempt;
        if (runAttempt < 1) {
            throw new InvalidInput("attempt", "attempt must be 1 or more, got " + runAttempt);
        }
        if (runs.findById(runId) == null) {
            throw new NotFound("runId '" + Text.quote(runId) + "' names no run: a version must point at the run"
                    + " that trained it");
        }
        locks.lockModel(name);
        RegisteredModel model = models.findByName(name).orElseGet(() -> models.persistNew(name, null));
        Optional<ModelVersion> existing = versions.findBySource(model.id, runId, runAttempt);
        if (existing.isPresent()) {
            ModelVersion version = existing.get();
            if (!version.artifactUri.equals(artifactUri)) {
                throw new AlreadyExists("run " + runId + " attempt " + runAttempt + " already registered version "
                        + version.version + " of '" + name + "' with artifactUri " + version.artifactUri
                        + ", not " + Text.quote(artifactUri));
            }
            return new Registration(versionDetails(name, version), false);
        }
        ModelVersion version = versions.persistNext(model, runId, runAttempt, artifactUri);
        return new Registration(versionDetails(name, version), true);
    }

    @Transactional
    public List<VersionDetails> versions(String name) {
        RegisteredModel model = require(name);
        return versions.newestFirst(model.id).stream().map(v -> versionDetails(name, v)).toList();
    }

    @Transactional
    public VersionDetails version(String name, String version) {
        return versionDetails(name, requireVersion(require(name), version));
    }

    @Transactional
    public VersionDetails setAlias(String name, String alias, Integer version) {
        checkName("alias", alias);
        if (version == null) {
            throw new InvalidInput("version", "version is missing: the alias must point at a version number");
        }
        locks.lockModel(name);
        RegisteredModel model = require(name);
        ModelVersion target = requireVersion(model, String.valueOf(version));
        aliases.point(model.id, alias, target.version);
        model.updatedAt = DbClock.now();
        return versionDetails(name, target);
    }

    @Transactional
    public VersionDetails alias(String name, String alias) {
        RegisteredModel model = require(name);
        ModelAlias entry = requireAlias(model, alias);
        return versionDetails(name, requireVersion(model, String.valueOf(entry.version)));
    }

    @Transactional
    public void deleteAlias(String name, String alias) {
        locks.lockModel(name);
        RegisteredModel model = require(name);
        aliases.delete(requireAlias(model, alias));
        model.updatedAt = DbClock.now();
    }

    private ModelDetails details(RegisteredModel model) {
        Map<String, Integer> aliasMap = new TreeMap<>();
        aliases.forModel(model.id).forEach(a -> aliasMap.put(a.alias, a.version));
        return new ModelDetails(model, versions.latest(model.id).map(v -> versionDetails(model.name, v)), aliasMap,
                versions.lastDeployed(model.id).map(v -> v.version));
    }

    private VersionDetails versionDetails(String modelName, ModelVersion version) {
        List<String> names = aliases.forModel(version.modelId).stream()
                .filter(a -> a.version == version.version)
                .map(a -> a.alias)
                .toList();
        return new VersionDetails(modelName, version, names);
    }

    private RegisteredModel require(String name) {
        return models.findByName(name)
                .orElseThrow(() -> new NotFound("no registered model named '" + Text.quote(name) + "'"));
    }

    private ModelVersion requireVersion(RegisteredModel model, String version) {
        Optional<ModelVersion> found = Optional.empty();
        if (version.matches("[0-9]{1,9}")) {
            found = versions.find(model.id, Integer.parseInt(version));
        }
        return found.orElseThrow(() -> new NotFound("registered model '" + model.name + "' has no version '"
                + Text.quote(version) + "'"));
    }

    private ModelAlias requireAlias(RegisteredModel model, String alias) {
        return aliases.find(model.id, alias).orElseThrow(() -> new NotFound(
                "registered model '" + model.name + "' has no alias '" + Text.quote(alias) + "'"));
    }

    private static void checkName(String field, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new InvalidInput(field, field + " must be 1-64 letters, digits, '.', '_' or '-' (starting with a"
                    + " letter or digit), got " + (value == null ? "nothing" : "'" + Text.quote(value) + "'"));
        }
    }

    private void checkArtifactUri(String runId, String artifactUri) {
        if (artifactUri == null || artifactUri.isBlank()) {
            throw new InvalidInput("artifactUri", "artifactUri is missing: where the model bundle is stored");
        }
        if (artifactUri.length() > MAX_URI_LENGTH) {
            throw new InvalidInput("artifactUri", "artifactUri is longer than " + MAX_URI_LENGTH + " characters");
        }
        locations.uriProblem(runId, artifactUri).ifPresent(problem -> {
            throw new InvalidInput("artifactUri", "artifactUri must be the bundle run " + runId
                    + " stored: " + problem);
        });
    }
}
