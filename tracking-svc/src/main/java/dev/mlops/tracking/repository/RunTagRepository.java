package dev.mlops.tracking.repository;

import dev.mlops.tracking.RunTag;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RunTagRepository implements PanacheRepository<RunTag> {

    /** Insert or overwrite the tag (run, key). Hold the run's lock. */
    public void upsert(String runId, String key, String value) {
        RunTag tag = find("runId = ?1 and key = ?2", runId, key).firstResult();
        if (tag == null) {
            tag = new RunTag();
            tag.runId = runId;
            tag.key = key;
            tag.value = value;
            persist(tag);
        } else {
            tag.value = value;
        }
    }

    /** @return whether the run had the tag */
    public boolean delete(String runId, String key) {
        return delete("runId = ?1 and key = ?2", runId, key) > 0;
    }

    public List<RunTag> forRun(String runId) {
        return list("runId", runId);
    }

    public List<RunTag> forRuns(List<String> runIds) {
        return list("runId in ?1", runIds);
    }
}
