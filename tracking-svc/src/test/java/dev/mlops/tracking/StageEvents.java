package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaTestClient;

import java.util.Map;

/** Publishes stage events to the real broker the way the stage services do: JSON, keyed by run id, CE headers. */
final class StageEvents {

    private final KafkaTestClient kafka;
    private final String runId;
    private final PipelineSpec spec;

    StageEvents(KafkaTestClient kafka, String runId, PipelineSpec spec) {
        this.kafka = kafka;
        this.runId = runId;
        this.spec = spec;
    }

    void started(Stage stage, int attempt) {
        status(StageStatusEvent.started(input(attempt), stage));
    }

    void progress(Stage stage, int attempt, int done, int total) {
        status(StageStatusEvent.progress(input(attempt), stage, done, total));
    }

    void failed(Stage stage, int attempt, String error) {
        status(StageStatusEvent.failed(input(attempt), stage, error));
    }

    StageEvent completed(Stage stage, int attempt, Map<String, String> artifacts, Map<String, Double> metrics,
                         Map<String, String> params) {
        StageEvent event = input(attempt).completed(stage, new StageResult(artifacts, metrics, params));
        send(event);
        return event;
    }

    void completed(Stage stage, int attempt) {
        completed(stage, attempt, Map.of(), Map.of(), Map.of());
    }

    void send(StageEvent event) {
        kafka.send(event.topic(), runId, Json.write(event), Map.of("ce_type", event.topic(), "ce_subject", runId));
    }

    private void status(StageStatusEvent event) {
        kafka.send(Topics.STAGE_STATUS, runId, Json.write(event),
                Map.of("ce_type", Topics.STAGE_STATUS, "ce_subject", runId));
    }

    private StageEvent input(int attempt) {
        return StageEvent.requested(runId, spec).withAttempt(attempt);
    }
}
