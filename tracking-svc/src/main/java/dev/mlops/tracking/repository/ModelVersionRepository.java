package dev.mlops.tracking.repository;

import dev.mlops.tracking.ModelVersion;
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

    public Optional<ModelVersion> latest(Long modelId) {
        return find("modelId", Sort.descending("version"), modelId).firstResultOptional();
    }

    public List<ModelVersion> newestFirst(Long modelId) {
        return list("modelId", Sort.descending("version"), modelId);
    }

    public int nextVersion(Long modelId) {
        Integer max = getEntityManager()
                .createQuery("SELECT max(v.version) FROM ModelVersion v WHERE v.modelId = :modelId", Integer.class)
                .setParameter("modelId", modelId)
                .getSingleResult();
        return max == null ? 1 : max + 1;
    }
}
