package dev.mlops.tracking.service;

import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.tracking.RunStatus;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.smallrye.mutiny.operators.multi.processors.SerializedProcessor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * What changed, for live views (the web UI's event stream): a stage's status once tracking-svc has recorded it, and a
 * run's status after every recorded event, start and retry. Told after the transaction committed, so a view that
 * re-reads the run sees the change. In memory: each replica tells its own listeners what it recorded (one replica runs
 * by default; the UI also refreshes on a timer).
 */
@ApplicationScoped
public class RunChangeFeed {

    /** {@code kind} is "stage" (stage, status, attempt, progress set) or "run" (status set). */
    public record Change(String kind, String runId, String stage, String status, Integer attempt,
                         StageStatusEvent.Progress progress) {
    }

    private final BroadcastProcessor<Change> broadcast = BroadcastProcessor.create();
    private final SerializedProcessor<Change, Change> input = broadcast.serialized();

    public void stageChanged(String runId, String stage, String status, int attempt,
                             StageStatusEvent.Progress progress) {
        input.onNext(new Change("stage", runId, stage, status, attempt, progress));
    }

    public void runChanged(String runId, RunStatus status) {
        if (status != null) {
            input.onNext(new Change("run", runId, null, status.name(), null, null));
        }
    }

    /** Every change from now on; a listener that cannot keep up loses changes rather than slowing the feed. */
    public Multi<Change> changes() {
        return broadcast.onOverflow().drop();
    }
}
