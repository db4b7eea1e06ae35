package dev.mlops.runtime.stage;

import dev.mlops.common.event.Release;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * A stage the run does not go through only acknowledges the record: image and deploy when nothing is deployed, or
 * when evaluate kept the production model ({@link Release#kept}).
 */
@ApplicationScoped
public class StageSkip {

    private static final Logger LOG = Logger.getLogger(StageSkip.class);

    public boolean skips(Stage stage, StageEvent input) {
        if (!input.spec().stages().contains(stage)) {
            LOG.debugf("%s: run %s does not go through this stage (deploy.target %s)", stage.id(), input.runId(),
                    input.spec().deploy().target());
            return true;
        }
        if (stage.ordinal() > Stage.EVALUATE.ordinal() && Release.kept(input.params())) {
            LOG.infof("%s: run %s is not released: %s", stage.id(), input.runId(), input.params().get(Release.NOTE_PARAM));
            return true;
        }
        return false;
    }
}
