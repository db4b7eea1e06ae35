package dev.mlops.common.event;

import dev.mlops.common.spec.PipelineSpec;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An event on {@code mlops.pipeline.requested} or a {@code mlops.<stage>.completed} topic.
 * Artifacts accumulate along the chain, so every stage finds all it needs in its input event.
 *
 * @param stage   "pipeline" for the request, else the id of the stage that completed
 * @param attempt the chain attempt: a retry re-publishes an input event with attempt + 1
 */
public record StageEvent(
        int schemaVersion,
        String runId,
        String stage,
        int attempt,
        PipelineSpec spec,
        Map<String, String> artifacts,
        Map<String, Double> metrics,
        Map<String, String> params,
        Instant occurredAt) {

    public static final int SCHEMA_VERSION = 1;
    public static final String REQUESTED_STAGE = "pipeline";

    public StageEvent {
        artifacts = artifacts == null ? Map.of() : Map.copyOf(artifacts);
        metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public static StageEvent requested(String runId, PipelineSpec spec) {
        return new StageEvent(SCHEMA_VERSION, runId, REQUESTED_STAGE, 1, spec, Map.of(), Map.of(), Map.of(), Instant.now());
    }

    /**
     * The event a stage emits when done: same run, spec and attempt; the input's artifacts and params plus its own
     * (so a later stage finds, say, the model version train registered); metrics are only this stage's.
     */
    public StageEvent completed(Stage completedStage, StageResult result) {
        Map<String, String> allArtifacts = new LinkedHashMap<>(artifacts);
        allArtifacts.putAll(result.artifacts());
        Map<String, String> allParams = new LinkedHashMap<>(params);
        allParams.putAll(result.params());
        return new StageEvent(SCHEMA_VERSION, runId, completedStage.id(), attempt, spec,
                allArtifacts, result.metrics(), allParams, Instant.now());
    }

    public StageEvent withAttempt(int newAttempt) {
        return new StageEvent(schemaVersion, runId, stage, newAttempt, spec, artifacts, metrics, params, Instant.now());
    }

    /** The URI of an artifact an earlier stage stored, or a clear error naming what is missing. */
    public String artifact(String name) {
        String uri = artifacts.get(name);
        if (uri == null) {
            throw new IllegalStateException("the input event of run " + runId + " carries no artifact '" + name
                    + "' (has: " + artifacts.keySet() + ")");
        }
        return uri;
    }

    public String topic() {
        return REQUESTED_STAGE.equals(stage) ? Topics.PIPELINE_REQUESTED
                : Stage.fromId(stage).map(Stage::completedTopic).orElseThrow();
    }

    public boolean isFor(String otherRunId) {
        return Objects.equals(runId, otherRunId);
    }
}
