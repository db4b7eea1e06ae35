package dev.mlops.tracking.repository;

import dev.mlops.tracking.HeldStageStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Status events waiting for their run to be recorded, in the order they were consumed. */
@ApplicationScoped
public class HeldStageStatusRepository implements PanacheRepository<HeldStageStatus> {

    /** How long an event waits for a run that never appears (a run id nothing will ever record). */
    public static final Duration KEPT_FOR = Duration.ofDays(1);

    /** Keeps {@code event} (a status event's JSON, as consumed) for the run; drops events that waited too long. */
    public void hold(String runId, String event) {
        Instant now = DbClock.now();
        delete("receivedAt < ?1", now.minus(KEPT_FOR));
        HeldStageStatus held = new HeldStageStatus();
        held.runId = runId;
        held.event = event;
        held.receivedAt = now;
        persist(held);
    }

    /** The run's held events, oldest first, removed from the table (hold the run's lock). */
    public List<String> release(String runId) {
        List<String> events = find("runId = ?1 order by id", runId).stream().map(held -> held.event).toList();
        if (!events.isEmpty()) {
            delete("runId", runId);
        }
        return events;
    }
}
