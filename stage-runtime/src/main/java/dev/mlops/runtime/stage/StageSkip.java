package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/** A stage the run does not go through (image and deploy when nothing is deployed) only acknowledges the record. */
@ApplicationScoped
public class StageSkip {

    private static final Logger LOG = Logger.getLogger(StageSkip.class);

    public boolean skips(Stage stage, StageEvent input) {
        if (input.spec().stages().contains(stage)) {
            return false;
        }
        LOG.debugf("%s: run %s does not go through this stage (deploy.target %s)", stage.id(), input.runId(),
                input.spec().deploy().target());
        return true;
    }
}
