package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ExperimentTag;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.ExperimentRepository;
import dev.mlops.tracking.repository.ExperimentTagRepository;
import dev.mlops.tracking.repository.Locks;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.Map;

/** Experiments as MLflow manages them: created by name, renamed, tagged, deleted and restored (soft). */
@ApplicationScoped
public class ExperimentService {

    static final int MAX_TAG_VALUE_LENGTH = 5000;

    private final ExperimentRepository experiments;
    private final ExperimentTagRepository tags;
    private final Locks locks;

    public ExperimentService(ExperimentRepository experiments, ExperimentTagRepository tags, Locks locks) {
        this.experiments = experiments;
        this.tags = tags;
        this.locks = locks;
    }

    /** An experiment with its tags. */
    public record Tagged(Experiment experiment, List<ExperimentTag> tags) {
    }

    @Transactional
    public Experiment create(String name, String artifactLocation, Map<String, String> initialTags) {
        requireName("name", name);
        initialTags.forEach(ExperimentService::requireTag);
        locks.lockExperiment(name);
        requireNameFree(name);
        Experiment experiment = new Experiment();
        experiment.name = name;
        experiment.artifactLocation = artifactLocation == null || artifactLocation.isEmpty() ? null : artifactLocation;
        experiment.createdAt = DbClock.now();
        experiment.lastUpdatedAt = experiment.createdAt;
        experiments.persist(experiment);
        initialTags.forEach((key, value) -> tags.upsert(experiment.id, key, value));
        return experiment;
    }

    @Transactional
    public Tagged get(long id) {
        return tagged(require(id));
    }

    @Transactional
    public Tagged byName(String name) {
        Experiment experiment = experiments.findByName(name);
        if (experiment == null) {
            throw new NotFound("no experiment named '" + Text.quote(name) + "'");
        }
        return tagged(experiment);
    }

    /** Every experiment in one of the lifecycle stages, by id. */
    @Transactional
    public List<Tagged> all(List<String> lifecycleStages) {
        return experiments.list("lifecycleStage in ?1", Sort.ascending("id"), lifecycleStages).stream()
                .map(this::tagged).toList();
    }

    @Transactional
    public void rename(long id, String newName) {
        requireName("new_name", newName);
        locks.lockExperiment(newName);
        Experiment experiment = require(id);
        requireActive(experiment);
        if (!experiment.name.equals(newName)) {
            requireNameFree(newName);
            experiment.name = newName;
            experiment.lastUpdatedAt = DbClock.now();
        }
    }

    /** Marks the experiment deleted (deleted: true) or active again (false). */
    @Transactional
    public void setDeleted(long id, boolean deleted) {
        Experiment experiment = require(id);
        experiment.lifecycleStage = deleted ? LifecycleStage.DELETED : LifecycleStage.ACTIVE;
        experiment.lastUpdatedAt = DbClock.now();
    }

    @Transactional
    public void setTag(long id, String key, String value) {
        requireTag(key, value);
        requireActive(require(id));
        locks.lockExperiment("id:" + id);
        tags.upsert(id, key, value);
    }

    /** The experiment, which must exist and be active to take runs. */
    @Transactional
    public Experiment requireActive(long id) {
        Experiment experiment = require(id);
        requireActive(experiment);
        return experiment;
    }

    private Experiment require(long id) {
        Experiment experiment = experiments.findById(id);
        if (experiment == null) {
            throw new NotFound("no experiment with id " + id);
        }
        return experiment;
    }

    private static void requireActive(Experiment experiment) {
        if (!LifecycleStage.ACTIVE.equals(experiment.lifecycleStage)) {
            throw new InvalidInput("experiment_id", "the experiment " + experiment.id
                    + " must be in the 'active' state; it is " + experiment.lifecycleStage);
        }
    }

    private void requireNameFree(String name) {
        if (experiments.findByName(name) != null) {
            throw new AlreadyExists("an experiment named '" + Text.quote(name) + "' already exists"
                    + " (a deleted one keeps its name until it is deleted for good)");
        }
    }

    private Tagged tagged(Experiment experiment) {
        return new Tagged(experiment, tags.forExperiment(experiment.id));
    }

    private static void requireName(String field, String name) {
        if (name == null || name.isEmpty()) {
            throw new InvalidInput(field, field + " is missing: an experiment needs a name");
        }
        if (name.length() > Experiment.MAX_NAME_LENGTH) {
            throw new InvalidInput(field, field + " is longer than " + Experiment.MAX_NAME_LENGTH + " characters");
        }
    }

    private static void requireTag(String key, String value) {
        RunService.requireKey("tag", key);
        RunService.requireValue("tag", value, MAX_TAG_VALUE_LENGTH);
    }
}
