package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * A redelivered or duplicated input whose (run, stage, attempt) already completed: its stored output
 * ({@link StageOutputs}) is published again and the work is not redone (no second model version or deployment).
 */
@ApplicationScoped
public class OutputReplay {

    private static final Logger LOG = Logger.getLogger(OutputReplay.class);

    private final StageOutputs outputs;
    private final StagePublisher publisher;

    public OutputReplay(StageOutputs outputs, StagePublisher publisher) {
        this.outputs = outputs;
        this.publisher = publisher;
    }

    /** Publishes the output an earlier delivery of this input completed with, again. */
    public void replay(Stage stage, StageEvent input, StageEvent earlier, MutinyEmitter<String> completedEmitter)
            throws ServiceStopping {
        LOG.infof("%s: run %s attempt %d was already completed: its output is published again, the work is not"
                + " redone", stage.id(), input.runId(), input.attempt());
        publisher.completed(completedEmitter, stage, earlier);
    }

    /** The output this process completed this (run, stage, attempt) with, without asking the store. */
    public Optional<StageEvent> completedHere(Stage stage, StageEvent input) {
        return outputs.recordedHere(stage, input);
    }

    /** The output of this (run, stage, attempt) if an earlier delivery completed it; empty when it cannot tell. */
    public Optional<StageEvent> earlierOutput(Stage stage, StageEvent input) {
        try {
            return outputs.recorded(stage, input);
        } catch (RuntimeException e) {
            // the store is unreachable: do the work, whose own store access tries again and fails with the cause
            LOG.debugf("%s: run %s: could not look for an earlier output: %s", stage.id(), input.runId(), e.getMessage());
            return Optional.empty();
        }
    }
}
