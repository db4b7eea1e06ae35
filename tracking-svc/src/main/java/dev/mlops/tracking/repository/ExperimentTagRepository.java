package dev.mlops.tracking.repository;

import dev.mlops.tracking.ExperimentTag;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class ExperimentTagRepository implements PanacheRepository<ExperimentTag> {

    /** Insert or overwrite the tag (experiment, key). Hold the experiment's lock. */
    public void upsert(long experimentId, String key, String value) {
        ExperimentTag tag = find("experimentId = ?1 and key = ?2", experimentId, key).firstResult();
        if (tag == null) {
            tag = new ExperimentTag();
            tag.experimentId = experimentId;
            tag.key = key;
            tag.value = value;
            persist(tag);
        } else {
            tag.value = value;
        }
    }

    public List<ExperimentTag> forExperiment(long experimentId) {
        return list("experimentId", experimentId);
    }
}
