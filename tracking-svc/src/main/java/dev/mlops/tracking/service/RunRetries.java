package dev.mlops.tracking.service;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Release;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.StageStatus;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.repository.StageExecutionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Retries a finished run from a stage by event injection: re-publishes that stage's input event (the previous
 * stage's completed event as it was consumed, or for ingest the pipeline request rebuilt from the stored spec)
 * with attempt = the run's highest attempt + 1. The stage and every later one then run again as that attempt.
 * The new attempt is recorded (PENDING) before the event is sent, so the run is RUNNING at once and a second
 * retry is refused until it has finished.
 */
@ApplicationScoped
public class RunRetries {

    private static final Logger LOG = Logger.getLogger(RunRetries.class);

    private final RunRepository runs;
    private final StageExecutionRepository executions;
    private final RunEventRecorder recorder;
    private final Locks locks;
    private final InputEvents inputs;
    private final RunChangeFeed changes;

    public RunRetries(RunRepository runs, StageExecutionRepository executions, RunEventRecorder recorder, Locks locks,
                      InputEvents inputs, RunChangeFeed changes) {
        this.runs = runs;
        this.executions = executions;
        this.recorder = recorder;
        this.locks = locks;
        this.inputs = inputs;
        this.changes = changes;
    }

    public record Retry(String runId, Stage from, int attempt, StageEvent input) {
    }

    /** @param from a stage id, or null for the stage that failed in the newest attempt */
    public Retry retry(String runId, String from) {
        Retry retry = QuarkusTransaction.requiringNew().call(() -> plan(runId, from));
        try {
            inputs.send(retry.input());
        } catch (RuntimeException e) {
            String error = "Kafka did not accept the retry event: " + PipelineLauncher.describe(e);
            LOG.errorf(e, "run %s: %s", runId, error);
            QuarkusTransaction.requiringNew().run(() -> fail(retry, error));
            throw new PipelineNotRequested(runId, error, e);
        }
        LOG.infof("run %s retried from %s as attempt %d", runId, retry.from().id(), retry.attempt());
        changes.runChanged(runId, RunStatus.RUNNING);
        return retry;
    }

    private Retry plan(String runId, String from) {
        Stage requested = from == null || from.isBlank() ? null : stage(from);
        locks.lockRun(runId);
        Run run = runId.length() > Run.MAX_ID_LENGTH ? null : runs.findById(runId);
        if (run == null) {
            throw new NotFound("no run with id '" + Text.quote(runId) + "'");
        }
        if (run.status == RunStatus.RUNNING) {
            throw new InvalidState("run " + runId + " is RUNNING: retry it once it has FAILED or SUCCEEDED");
        }
        PipelineSpec spec = RunService.spec(run);
        List<StageExecution> all = executions.forRun(runId);
        Stage stage = requested == null ? failedStage(run, spec, all) : requested;
        if (!spec.stages().contains(stage)) {
            throw new InvalidState("run " + runId + " does not go through stage '" + stage.id() + "' (deploy.target is "
                    + spec.deploy().target() + "): it goes through " + ids(spec.stages()));
        }
        // with no stage reported at all, the run's request was attempt 1
        int attempt = all.stream().mapToInt(e -> e.attempt).max().orElse(1) + 1;
        StageEvent input = stage.previous()
                .map(previous -> completedEvent(runId, previous, stage))
                .orElseGet(() -> StageEvent.requested(runId, spec))
                .withAttempt(attempt);
        if (stage.ordinal() > Stage.EVALUATE.ordinal() && Release.kept(input.params())) {
            // image and deploy would skip the event: the new attempt would never end
            throw new InvalidState("run " + runId + " kept the production model at evaluate ("
                    + input.params().get(Release.NOTE_PARAM) + "): its model is not released, so '" + stage.id()
                    + "' does not run for it; retry from evaluate to decide again");
        }
        executions.getOrCreate(runId, stage.id(), attempt);
        recorder.refreshStatus(run);
        return new Retry(runId, stage, attempt, input);
    }

    private StageEvent completedEvent(String runId, Stage previous, Stage stage) {
        StageExecution completed = executions.newestCompleted(runId, previous.id()).orElseThrow(() ->
                new InvalidState("stage '" + previous.id() + "' of run " + runId + " never completed, so there is no"
                        + " input event to retry '" + stage.id() + "' with: retry from '" + previous.id()
                        + "' or an earlier stage"));
        return EventJson.readStageEvent(completed.completedEvent);
    }

    /**
     * The first stage of the newest attempt that did not complete (failed, or never started: a stopped run), counted
     * from the stage that attempt began at; ingest when no stage ever reported.
     */
    private static Stage failedStage(Run run, PipelineSpec spec, List<StageExecution> all) {
        int newest = all.stream().mapToInt(e -> e.attempt).max().orElse(0);
        if (newest == 0) {
            return spec.stages().get(0);
        }
        List<StageExecution> current = all.stream().filter(e -> e.attempt == newest).toList();
        Set<String> completed = current.stream().filter(e -> e.status == StageStatus.COMPLETED)
                .map(e -> e.stage).collect(Collectors.toSet());
        Stage began = current.stream().map(e -> Stage.fromId(e.stage).orElseThrow())
                .min(Comparator.naturalOrder()).orElseThrow();
        return spec.stages().stream()
                .filter(stage -> stage.compareTo(began) >= 0 && !completed.contains(stage.id()))
                .findFirst()
                .orElseThrow(() -> new InvalidState("run " + run.id + " is " + run.status + " with every stage of its"
                        + " newest attempt completed: name the stage to run again with ?from=<stage>"));
    }

    private static Stage stage(String id) {
        return Stage.fromId(id).orElseThrow(() -> new InvalidInput("from", "unknown stage '" + Text.quote(id)
                + "': use one of " + ids(Arrays.asList(Stage.values()))));
    }

    private void fail(Retry retry, String error) {
        locks.lockRun(retry.runId());
        executions.getOrCreate(retry.runId(), retry.from().id(), retry.attempt()).failed(error, DbClock.now());
        recorder.refreshStatus(runs.findById(retry.runId()));
    }

    private static String ids(List<Stage> stages) {
        return stages.stream().map(Stage::id).collect(Collectors.joining(", "));
    }
}
