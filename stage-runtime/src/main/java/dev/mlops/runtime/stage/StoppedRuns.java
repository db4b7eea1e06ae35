package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Whether an input event belongs to a stopped run ({@link RunStop}). Two sources, one decision:
 * <ul>
 * <li>the stops tracking-svc announced ({@link StopNoticeConsumer}), held in memory: an event of a run known to be
 * stopped is acknowledged before STARTED, with nothing published, at no cost to the hop;</li>
 * <li>the run's marker in the store, which tracking-svc writes before it announces the stop: read before the work,
 * so a stop this instance was not told of in time (a notice still on its way, a service started after the topic
 * dropped it) still keeps the work from running.</li>
 * </ul>
 */
@ApplicationScoped
public class StoppedRuns {

    /** Enough for every stop of weeks of runs; the store decides for an older one. */
    static final int KNOWN_LIMIT = 10_000;

    private static final Logger LOG = Logger.getLogger(StoppedRuns.class);

    private final ArtifactStore store;
    private final Map<String, RunStop> known = Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, RunStop> eldest) {
            return size() > KNOWN_LIMIT;
        }
    });

    public StoppedRuns(ArtifactStore store) {
        this.store = store;
    }

    /** A stop tracking-svc announced; a later stop of the same run (after a retry) covers more attempts. */
    public void remember(String runId, RunStop stop) {
        known.merge(runId, stop, (held, told) -> told.attempt() >= held.attempt() ? told : held);
    }

    /** Whether the event's run is known here to be stopped at its attempt or a later one (no store request). */
    public boolean known(Stage stage, StageEvent input) {
        return covering(stage, input, Optional.ofNullable(known.get(input.runId()))).isPresent();
    }

    /** The stop covering the event's attempt, read from the store; none when the store cannot be reached. */
    public Optional<RunStop> read(Stage stage, StageEvent input) {
        try {
            return covering(stage, input, RunStop.read(store, input.runId()));
        } catch (RuntimeException e) {
            // the work's own store access tries again and fails with the cause
            LOG.debugf("%s: run %s: could not look for a stop: %s", stage.id(), input.runId(), e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<RunStop> covering(Stage stage, StageEvent input, Optional<RunStop> stop) {
        if (stop.isEmpty() || !stop.get().covers(input.attempt())) {
            return Optional.empty();
        }
        LOG.infof("%s: run %s attempt %d was stopped by %s: the stage does not run", stage.id(), input.runId(),
                input.attempt(), stop.get().stoppedBy());
        return stop;
    }
}
