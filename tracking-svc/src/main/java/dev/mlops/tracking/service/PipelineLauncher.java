package dev.mlops.tracking.service;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.RunStatus;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Map;
import java.util.UUID;

/** Starts a pipeline run: records it, then publishes its request event. */
@ApplicationScoped
public class PipelineLauncher {

    private static final Logger LOG = Logger.getLogger(PipelineLauncher.class);

    private final RunService runService;
    private final InputEvents inputs;
    private final RunChangeFeed changes;

    public PipelineLauncher(RunService runService, InputEvents inputs, RunChangeFeed changes) {
        this.runService = runService;
        this.inputs = inputs;
        this.changes = changes;
    }

    /** @return the new run's id; throws {@link PipelineNotRequested} (the run is then FAILED) if Kafka refuses */
    public String start(PipelineSpec spec) {
        return start(spec, Map.of());
    }

    /** {@link #start(PipelineSpec)} with more tags on the run (such as the schedule that started it). */
    public String start(PipelineSpec spec, Map<String, String> tags) {
        String runId = UUID.randomUUID().toString();
        runService.create(runId, spec, tags);
        try {
            inputs.send(StageEvent.requested(runId, spec));
        } catch (RuntimeException e) {
            String error = "Kafka did not accept the pipeline request: " + describe(e);
            LOG.errorf(e, "run %s: %s", runId, error);
            runService.markFailed(runId, error);
            throw new PipelineNotRequested(runId, error, e);
        }
        LOG.infof("run %s of pipeline '%s' requested", runId, spec.name());
        changes.runChanged(runId, RunStatus.RUNNING);
        return runId;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Text.quote(root.getClass().getSimpleName() + ": " + root.getMessage());
    }
}
