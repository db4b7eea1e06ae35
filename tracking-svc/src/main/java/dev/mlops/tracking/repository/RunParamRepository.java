package dev.mlops.tracking.repository;

import dev.mlops.tracking.RunParam;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RunParamRepository implements PanacheRepository<RunParam> {

    /** Insert or overwrite the param (run, key). Hold the run's lock. */
    public void upsert(String runId, String key, String value) {
        RunParam param = find("runId = ?1 and key = ?2", runId, key).firstResult();
        if (param == null) {
            param = new RunParam();
            param.runId = runId;
            param.key = key;
            param.value = value;
            persist(param);
        } else {
            param.value = value;
        }
    }

    public List<RunParam> forRun(String runId) {
        return list("runId", runId);
    }

    public List<RunParam> forRuns(List<String> runIds) {
        return list("runId in ?1", runIds);
    }
}
