package dev.mlops.tracking.repository;

import dev.mlops.common.event.Stage;
import dev.mlops.tracking.ModelVersion;
import dev.mlops.tracking.RegisteredModel;
import dev.mlops.tracking.StageStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ModelVersionRepository implements PanacheRepository<ModelVersion> {

    public Optional<ModelVersion> find(Long modelId, int version) {
        return find("modelId = ?1 and version = ?2", modelId, version).firstResultOptional();
    }

    public Optional<ModelVersion> findBySource(Long modelId, String runId, int attempt) {
        return find("modelId = ?1 and runId = ?2 and attempt = ?3", modelId, runId, attempt).firstResultOptional();
    }

    /** The version whose run completed a deploy last: what the serving URL answers with now. */
    public Optional<ModelVersion> lastDeployed(Long modelId) {
        return getEntityManager().createQuery("select v from ModelVersion v, StageExecution e where v.modelId = :model"
                        + " and e.runId = v.runId and e.stage = :deploy and e.status = :completed"
                        + " order by e.finishedAt desc, v.version desc", ModelVersion.class)
                .setParameter("model", modelId).setParameter("deploy", Stage.DEPLOY.id())
                .setParameter("completed", StageStatus.COMPLETED)
                .setMaxResults(1).getResultStream().findFirst();
    }

    public Optional<ModelVersion> latest(Long modelId) {
        return find("modelId", Sort.descending("version"), modelId).firstResultOptional();
    }

    public List<ModelVersion> newestFirst(Long modelId) {
        return list("modelId", Sort.descending("version"), modelId);
    }

    /**
     * Persists the model's next version (one more than any it ever had), READY at once. Hold the model's lock.
     * @param attempt the pipeline run attempt that registered it; null through MLflow's API
     */
    public ModelVersion persistNext(RegisteredModel model, String runId, Integer attempt, String artifactUri) {
        ModelVersion version = new ModelVersion();
        version.modelId = model.id;
        version.version = ++model.lastVersion;
        version.runId = runId;
        version.attempt = attempt;
        version.artifactUri = artifactUri;
        version.status = ModelVersion.READY;
        version.createdAt = DbClock.now();
        version.lastUpdatedAt = version.createdAt;
        persist(version);
        model.updatedAt = version.createdAt;
        return version;
    }

    /** Every version of the model, oldest first. */
    public List<ModelVersion> oldestFirst(Long modelId) {
        return list("modelId", Sort.ascending("version"), modelId);
    }
}
