package dev.mlops.tracking.repository;

import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.StageStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

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

    /** The newest attempt of {@code stage} that completed with its event kept (see V3), if any. */
    public Optional<StageExecution> newestCompleted(String runId, String stage) {
        return find("runId = ?1 and stage = ?2 and status = ?3 and completedEvent is not null",
                Sort.descending("attempt"), runId, stage, StageStatus.COMPLETED).firstResultOptional();
    }

    public List<StageExecution> forRun(String runId) {
        return list("runId", Sort.ascending("attempt"), runId);
    }
}
