package dev.mlops.tracking.repository;

import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.StageStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class StageExecutionRepository implements PanacheRepository<StageExecution> {

    /** The execution of (run, stage, attempt), created PENDING if it is not recorded yet. Hold the run's lock. */
    public StageExecution getOrCreate(String runId, String stage, int attempt) {
        StageExecution execution = find("runId = ?1 and stage = ?2 and attempt = ?3", runId, stage, attempt)
                .firstResult();
        if (execution == null) {
            execution = new StageExecution();
            execution.runId = runId;
            execution.stage = stage;
            execution.attempt = attempt;
            execution.status = StageStatus.PENDING;
            persist(execution);
        }
        return execution;
    }

    public List<StageExecution> forRun(String runId) {
        return list("runId", Sort.ascending("attempt"), runId);
    }
}
