package dev.mlops.tracking.service;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Release;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.repository.DbClock;
import dev.mlops.tracking.repository.HeldStageStatusRepository;
import dev.mlops.tracking.repository.Locks;
import dev.mlops.tracking.repository.RunArtifactRepository;
import dev.mlops.tracking.repository.RunMetricRepository;
import dev.mlops.tracking.repository.RunParamRepository;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.repository.StageExecutionRepository;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;

/**
 * Records what the stages report: status events (STARTED / PROGRESS / FAILED) and completed events, each in
 * its own transaction under the run's lock. Every write is an upsert keyed by run, stage and attempt (params
 * by key, event metrics by key and step, artifacts by name), so a re-delivered event changes nothing.
 */
@ApplicationScoped
public class RunEventRecorder {

    public static final String SERVING_URL_PARAM = "serving_url";
    public static final long EVENT_METRIC_STEP = 0;

    private static final Logger LOG = Logger.getLogger(RunEventRecorder.class);

    private final RunService runService;
    private final RunRepository runs;
    private final StageExecutionRepository executions;
    private final RunParamRepository params;
    private final RunMetricRepository metrics;
    private final RunArtifactRepository artifacts;
    private final HeldStageStatusRepository held;
    private final Locks locks;

    public RunEventRecorder(RunService runService, RunRepository runs, StageExecutionRepository executions,
                            RunParamRepository params, RunMetricRepository metrics, RunArtifactRepository artifacts,
                            HeldStageStatusRepository held, Locks locks) {
        this.runService = runService;
        this.runs = runs;
        this.executions = executions;
        this.params = params;
        this.metrics = metrics;
        this.artifacts = artifacts;
        this.held = held;
        this.locks = locks;
    }

    /**
     * Records a status event ({@code payload}, as consumed) and answers the run's status after it. Status events
     * carry no spec, so one for a run this service has not recorded yet is held (null): a run first seen through
     * an injected completed event can have its next stage's STARTED read first, from the other topic. The held
     * event is applied when the completed event records the run.
     */
    @Transactional
    public RunStatus recordStatus(StageStatusEvent event, String payload) {
        locks.lockRun(event.runId());
        Run run = runs.findById(event.runId());
        if (run == null) {
            LOG.infof("held %s of stage %s until run %s is recorded", event.status(), event.stage(), event.runId());
            held.hold(event.runId(), payload);
            return null;
        }
        apply(run, event);
        refreshStatus(run);
        return run.status;
    }

    private void apply(Run run, StageStatusEvent event) {
        StageExecution execution = executions.getOrCreate(run.id, event.stage(), event.attempt());
        Instant at = occurredAt(event.occurredAt());
        switch (event.status()) {
            case STARTED -> execution.started(at);
            case PROGRESS -> {
                if (event.progress() != null) {
                    execution.progress(event.progress().done(), event.progress().total());
                }
            }
            case FAILED -> execution.failed(event.error() == null || event.error().isBlank()
                    ? "the stage reported a failure without a message"
                    : Text.quote(event.error(), StageStatusEvent.ERROR_LIMIT), at);
        }
    }

    /**
     * Records a completed stage and keeps its event ({@code payload}, as consumed) for a retry to re-publish; a run
     * this service has not seen is created from the spec the event carries. Answers the run's status after the event.
     */
    @Transactional
    public RunStatus recordCompleted(StageEvent event, String payload) {
        locks.lockRun(event.runId());
        Run run = runs.findById(event.runId());
        if (run == null) {
            LOG.infof("run %s first seen in a %s event: recording it from the event's spec", event.runId(),
                    event.topic());
            run = runService.create(event.runId(), event.spec());
            for (String heldEvent : held.release(run.id)) {
                apply(run, EventJson.readStatusEvent(heldEvent));
            }
        }
        Instant at = occurredAt(event.occurredAt());
        executions.getOrCreate(run.id, event.stage(), event.attempt()).completed(at, payload);
        event.params().forEach((key, value) -> params.upsert(event.runId(), key, value));
        event.metrics().forEach((key, value) ->
                metrics.upsertAtStep(event.runId(), key, value, EVENT_METRIC_STEP, at.toEpochMilli()));
        event.artifacts().forEach((name, uri) -> artifacts.upsert(event.runId(), name, uri));
        String servingUrl = event.params().get(SERVING_URL_PARAM);
        if (servingUrl != null && !servingUrl.isBlank()) {
            run.servingUrl = servingUrl;
        }
        refreshStatus(run);
        return run.status;
    }

    /**
     * Sets the run's status from its executions (hold the run's lock); a stopped run stays KILLED whatever its
     * stages still report, until a retry starts an attempt after the stopped one.
     */
    void refreshStatus(Run run) {
        List<StageExecution> all = executions.forRun(run.id);
        int newestAttempt = all.stream().mapToInt(e -> e.attempt).max().orElse(0);
        boolean kept = params.forRun(run.id).stream()
                .anyMatch(p -> p.key.equals(Release.PARAM) && p.value.equals(Release.KEPT));
        RunOutcome outcome = run.stoppedAttempt != null && newestAttempt <= run.stoppedAttempt
                ? new RunOutcome(RunStatus.KILLED, run.finishedAt, "stopped by " + run.stoppedBy)
                : RunOutcome.of(RunService.spec(run), all, kept);
        if (outcome.status() != run.status) {
            LOG.infof("run %s is %s", run.id, outcome.status());
        }
        run.status = outcome.status();
        run.finishedAt = outcome.finishedAt();
        run.error = outcome.error();
    }

    private static Instant occurredAt(Instant occurredAt) {
        return occurredAt == null ? DbClock.now() : occurredAt;
    }
}
