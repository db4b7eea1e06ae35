package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * An event of a stopped run ({@code POST /pipelines/{id}/stop}, a schedule's Replace) only acknowledges the record:
 * the stage does not start, so nothing after the stage at work when the run was stopped runs. Read from the run's
 * {@link RunStop} marker in the artifact store.
 */
@ApplicationScoped
public class StoppedRuns {

    private static final Logger LOG = Logger.getLogger(StoppedRuns.class);

    private final ArtifactStore store;

    public StoppedRuns(ArtifactStore store) {
        this.store = store;
    }

    public boolean stopped(Stage stage, StageEvent input) {
        Optional<RunStop> stop;
        try {
            stop = RunStop.read(store, input.runId());
        } catch (RuntimeException e) {
            // the store is unreachable: do the work, whose own store access tries again and fails with the cause
            LOG.debugf("%s: run %s: could not look for a stop: %s", stage.id(), input.runId(), e.getMessage());
            return false;
        }
        if (stop.isEmpty() || !stop.get().covers(input.attempt())) {
            return false;
        }
        LOG.infof("%s: run %s attempt %d was stopped by %s: the stage does not start", stage.id(), input.runId(),
                input.attempt(), stop.get().stoppedBy());
        return true;
    }
}
