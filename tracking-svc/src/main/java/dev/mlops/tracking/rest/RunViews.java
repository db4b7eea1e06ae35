package dev.mlops.tracking.rest;

import dev.mlops.common.event.Release;
import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunMetric;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.StageStatus;
import dev.mlops.tracking.service.RunDetails;
import dev.mlops.tracking.service.RunOutcome;
import dev.mlops.tracking.service.RunRetries;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/** The JSON answers of {@code /pipelines}. */
public final class RunViews {

    private RunViews() {
    }

    public record PipelineStarted(String runId) {
    }

    /** A retry was published: {@code from} runs again, with every later stage, as {@code attempt}. */
    public record RetryStarted(String runId, String from, int attempt) {
    }

    public record RunView(
            String runId,
            String name,
            RunStatus status,
            Instant createdAt,
            Instant finishedAt,
            Long durationMs,
            String error,
            PipelineSpec spec,
            List<StageView> stages,
            Map<String, String> params,
            Map<String, Double> metrics,
            Map<String, String> tags,
            Map<String, String> artifacts,
            String servingUrl,
            ReleaseView release) {
    }

    /**
     * Evaluate's decision under {@code gate.mustBeatProduction}: "promoted" (released) or "kept" (production
     * stays, nothing is built or deployed), the production version it was compared with, and why.
     */
    public record ReleaseView(String decision, Integer productionVersion, String message) {

        static ReleaseView of(Map<String, String> params) {
            String decision = params.get(Release.PARAM);
            if (decision == null) {
                return null;
            }
            String version = params.get(Release.PRODUCTION_VERSION_PARAM);
            return new ReleaseView(decision, version == null ? null : Integer.valueOf(version),
                    params.get(Release.NOTE_PARAM));
        }
    }

    /** A stage as its latest attempt shows it, with every attempt listed. */
    public record StageView(
            String stage,
            StageStatus status,
            Integer attempt,
            Instant startedAt,
            Instant finishedAt,
            Long durationMs,
            String error,
            ProgressView progress,
            List<AttemptView> attempts) {
    }

    public record AttemptView(
            int attempt,
            StageStatus status,
            Instant startedAt,
            Instant finishedAt,
            Long durationMs,
            String error,
            ProgressView progress) {
    }

    public record ProgressView(int done, int total) {
    }

    public record RunSummary(String runId, String name, RunStatus status, Instant createdAt, Instant finishedAt) {
    }

    public record RunPage(List<RunSummary> runs, int page, int size, long total) {
    }

    public record MetricPoint(double value, long step, long timestamp) {
    }

    public static RunView of(RunDetails details) {
        Run run = details.run();
        return new RunView(run.id, run.name, run.status, run.createdAt, run.finishedAt,
                duration(run.createdAt, run.finishedAt), run.error, details.spec(),
                stages(details.spec(), details.executions(), Release.kept(details.params())), details.params(),
                details.metrics(), details.tags(), details.artifacts(), run.servingUrl,
                ReleaseView.of(details.params()));
    }

    /** 202 for a published retry (or promotion): what runs again, and the run's URL to follow. */
    public static Response retryStarted(RunRetries.Retry retry, UriInfo uriInfo) {
        return Response.accepted(new RetryStarted(retry.runId(), retry.from().id(), retry.attempt()))
                .location(uriInfo.getBaseUriBuilder().path("pipelines").path(retry.runId()).build())
                .build();
    }

    public static RunSummary summary(Run run) {
        return new RunSummary(run.id, run.name, run.status, run.createdAt, run.finishedAt);
    }

    public static MetricPoint point(RunMetric metric) {
        return new MetricPoint(metric.value, metric.step, metric.timestampMs);
    }

    /** Every stage the run goes through (and any other that reported), in chain order; PENDING if not reached. */
    private static List<StageView> stages(PipelineSpec spec, List<StageExecution> executions, boolean keptProduction) {
        List<Stage> expected = RunOutcome.expectedStages(spec, keptProduction);
        return Arrays.stream(Stage.values())
                .filter(stage -> expected.contains(stage) || executions.stream().anyMatch(e -> e.stage.equals(stage.id())))
                .map(stage -> stage(stage, executions.stream()
                        .filter(e -> e.stage.equals(stage.id()))
                        .sorted(Comparator.comparingInt(e -> e.attempt))
                        .toList()))
                .toList();
    }

    private static StageView stage(Stage stage, List<StageExecution> attempts) {
        if (attempts.isEmpty()) {
            return new StageView(stage.id(), StageStatus.PENDING, null, null, null, null, null, null, List.of());
        }
        List<AttemptView> views = attempts.stream().map(RunViews::attempt).toList();
        AttemptView latest = views.get(views.size() - 1);
        return new StageView(stage.id(), latest.status(), latest.attempt(), latest.startedAt(), latest.finishedAt(),
                latest.durationMs(), latest.error(), latest.progress(), views);
    }

    private static AttemptView attempt(StageExecution e) {
        ProgressView progress = e.progressTotal == null ? null
                : new ProgressView(e.progressDone == null ? 0 : e.progressDone, e.progressTotal);
        return new AttemptView(e.attempt, e.status, e.startedAt, e.finishedAt, duration(e.startedAt, e.finishedAt),
                e.error, progress);
    }

    private static Long duration(Instant from, Instant to) {
        return from == null || to == null ? null : Duration.between(from, to).toMillis();
    }
}
