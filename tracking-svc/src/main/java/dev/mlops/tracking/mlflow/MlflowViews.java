package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.Experiment;
import dev.mlops.tracking.ExperimentTag;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunMetric;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.service.ExperimentService;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.MlflowArtifactPaths;
import dev.mlops.tracking.service.TrackedRuns;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** MLflow's messages (service.proto) as JSON: snake_case fields, enum names, ids as strings, times in epoch ms. */
final class MlflowViews {

    private MlflowViews() {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record ExperimentView(String experimentId, String name, String artifactLocation, String lifecycleStage,
                          Long lastUpdateTime, Long creationTime, List<KeyValue> tags) {
    }

    record KeyValue(String key, String value) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record RunInfo(String runId, String runUuid, String runName, String experimentId, String userId, String status,
                   Long startTime, Long endTime, String artifactUri, String lifecycleStage) {
    }

    record MetricView(String key, double value, long timestamp, long step) {
    }

    record RunData(List<MetricView> metrics, List<KeyValue> params, List<KeyValue> tags) {
    }

    record RunView(RunInfo info, RunData data, Map<String, Object> inputs) {
    }

    static ExperimentView experiment(ExperimentService.Tagged tagged) {
        Experiment e = tagged.experiment();
        return new ExperimentView(String.valueOf(e.id), e.name, artifactLocation(e), e.lifecycleStage,
                millis(e.lastUpdatedAt == null ? e.createdAt : e.lastUpdatedAt), millis(e.createdAt),
                tagged.tags().stream().map((ExperimentTag t) -> new KeyValue(t.key, t.value)).toList());
    }

    static RunInfo info(Run run) {
        return new RunInfo(run.id, run.id, run.name, String.valueOf(run.experimentId), run.userId, status(run.status),
                millis(run.createdAt), millis(run.finishedAt),
                MlflowArtifactPaths.artifactUri(run.experimentId, run.id), run.lifecycleStage);
    }

    static RunView run(TrackedRuns.LoggedRun logged) {
        return new RunView(info(logged.run()), new RunData(
                logged.latestMetrics().stream().map(MlflowViews::metric).toList(),
                keyValues(logged.params()), keyValues(logged.tags())), Map.of());
    }

    static MetricView metric(RunMetric m) {
        return new MetricView(m.key, m.value, m.timestampMs, m.step);
    }

    /** MLflow's RunStatus name of ours: SUCCEEDED is FINISHED. */
    static String status(RunStatus status) {
        return status == RunStatus.SUCCEEDED ? "FINISHED" : status.name();
    }

    /** Ours of MLflow's: SCHEDULED is RUNNING (MLflow's SCHEDULED is no cron schedule). */
    static RunStatus status(String field, String mlflowStatus) {
        return switch (mlflowStatus) {
            case "RUNNING", "SCHEDULED" -> RunStatus.RUNNING;
            case "FINISHED" -> RunStatus.SUCCEEDED;
            case "FAILED" -> RunStatus.FAILED;
            case "KILLED" -> RunStatus.KILLED;
            default -> throw new InvalidInput(field, "status must be one of RUNNING, SCHEDULED, FINISHED, FAILED,"
                    + " KILLED, got '" + Text.quote(mlflowStatus) + "'");
        };
    }

    private static String artifactLocation(Experiment e) {
        return e.artifactLocation != null ? e.artifactLocation : "mlflow-artifacts:/" + e.id;
    }

    private static List<KeyValue> keyValues(Map<String, String> map) {
        return map.entrySet().stream().map(entry -> new KeyValue(entry.getKey(), entry.getValue())).toList();
    }

    private static Long millis(Instant instant) {
        return instant == null ? null : instant.toEpochMilli();
    }
}
