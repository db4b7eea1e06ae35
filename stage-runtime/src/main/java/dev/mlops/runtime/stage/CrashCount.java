package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Counts the deliveries that start a stage's work ({@link StageOutputs}); a record whose work was started
 * {@code mlops.stage.max-crashes} times without finishing (the service died each time) is parked instead.
 */
@ApplicationScoped
public class CrashCount {

    private static final Logger LOG = Logger.getLogger(CrashCount.class);

    private final StageOutputs outputs;
    private final int maxCrashes;

    public CrashCount(StageOutputs outputs,
                      @ConfigProperty(name = "mlops.stage.max-crashes", defaultValue = "3") int maxCrashes) {
        this.outputs = outputs;
        this.maxCrashes = maxCrashes;
    }

    /**
     * Counts this start after {@code crashes} earlier ones ({@link #earlierStarts}); or, when the record crashed its
     * consumer too often, says why it is parked instead.
     */
    public Optional<String> startOrParkReason(Stage stage, StageEvent input, int crashes) {
        if (crashes >= maxCrashes) {
            return Optional.of("the " + stage.id() + " work for this input was started " + crashes + " times and"
                    + " never finished (the service crashed or was killed each time, e.g. running out of memory): the"
                    + " record is parked on " + Topics.DEAD_LETTER + " (mlops.stage.max-crashes=" + maxCrashes + ")");
        }
        recordStart(stage, input, crashes + 1);
        return Optional.empty();
    }

    /** Deliveries that started this input's work before; 0 when the store cannot tell. */
    public int earlierStarts(Stage stage, StageEvent input) {
        try {
            return outputs.starts(stage, input);
        } catch (RuntimeException e) {
            LOG.debugf("%s: run %s: could not count earlier starts: %s", stage.id(), input.runId(), e.getMessage());
            return 0;
        }
    }

    private void recordStart(Stage stage, StageEvent input, int starts) {
        try {
            outputs.recordStarts(stage, input, starts);
        } catch (RuntimeException e) {
            LOG.debugf("%s: run %s: could not count this start: %s", stage.id(), input.runId(), e.getMessage());
        }
    }
}
