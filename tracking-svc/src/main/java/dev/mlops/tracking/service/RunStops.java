package dev.mlops.tracking.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.StageExecutionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Stops a RUNNING pipeline run: it is KILLED ("stopped by ..."), and no later stage of its newest attempt starts.
 * The stop is written first as the run's {@link RunStop} marker in the artifact store, which every stage reads
 * before it works on an event, then announced to the stages ({@link StopNotices}), which skip a stopped run's
 * events before STARTED once they know; the stage at work when the run is stopped finishes, and what it reports is
 * recorded without changing the status. A retry (a newer attempt) runs the run again.
 */
@ApplicationScoped
public class RunStops {

    /** Who stopped a run through {@code POST /pipelines/{id}/stop}. */
    public static final String BY_API = "the API";

    private static final Logger LOG = Logger.getLogger(RunStops.class);

    private final RunService runService;
    private final StageExecutionRepository executions;
    private final RunEventRecorder recorder;
    private final Locks locks;
    private final ArtifactStore store;
    private final RunChangeFeed changes;
    private final StopNotices notices;

    public RunStops(RunService runService, StageExecutionRepository executions, RunEventRecorder recorder, Locks locks,
                    ArtifactStore store, RunChangeFeed changes, StopNotices notices) {
        this.runService = runService;
        this.executions = executions;
        this.recorder = recorder;
        this.locks = locks;
        this.store = store;
        this.changes = changes;
        this.notices = notices;
    }

    /** @param by who stops it, for the run's error ("stopped by " + by) */
    public RunStop stop(String runId, String by) {
        RunStop stop = QuarkusTransaction.requiringNew().call(() -> {
            locks.lockRun(runId);
            Run run = runService.require(runId);
            RunService.spec(run);
            if (run.status != RunStatus.RUNNING) {
                throw new InvalidState("run " + runId + " is " + run.status + ": only a RUNNING run can be stopped");
            }
            int attempt = executions.forRun(runId).stream().mapToInt(e -> e.attempt).max().orElse(1);
            RunStop marker = new RunStop(attempt, by, DbClock.now());
            // the marker first: once it is stored no stage of the run starts, whatever happens to this transaction
            marker.write(store, runId);
            notices.announce(runId, marker);
            run.stoppedAttempt = attempt;
            run.stoppedBy = by;
            run.finishedAt = marker.stoppedAt();
            recorder.refreshStatus(run);
            return marker;
        });
        LOG.infof("run %s (attempt %d) stopped by %s", runId, stop.attempt(), stop.stoppedBy());
        changes.runChanged(runId, RunStatus.KILLED);
        return stop;
    }
}
