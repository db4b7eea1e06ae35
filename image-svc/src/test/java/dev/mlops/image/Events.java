package dev.mlops.image;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaTestClient;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/** What evaluate would hand image-svc: a model bundle in S3 and the evaluate.completed event naming it. */
final class Events {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String COMPLETED = "mlops.image.completed";

    private Events() {
    }

    /** Bundle-like files (the image stage does not look inside them) stored for {@code runId}: name -> content. */
    static Map<String, byte[]> bundle(String runId) {
        Random random = new Random(runId.hashCode());
        byte[] model = new byte[150_000];
        random.nextBytes(model);
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("model/model.bin", model);
        files.put("model/preprocessor.json", ("{\"run\": \"" + runId + "\"}\n").getBytes());
        files.put("model/signature.json", "{\"inputs\": []}\n".getBytes());
        files.put("model/metadata.json", ("{\"run_id\": \"" + runId + "\"}\n").getBytes());
        files.put("model/MLmodel", "artifact_path: model\n".getBytes());
        return files;
    }

    static StageEvent evaluated(ArtifactStore store, String runId, Map<String, byte[]> files, PipelineSpec spec) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        files.forEach((name, content) -> artifacts.put(name, store.put(runId, name, content, "application/octet-stream").toString()));
        artifacts.put("evaluate/metrics.json", store.put(runId, "evaluate/metrics.json", "{}".getBytes(), "application/json").toString());
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "evaluate", 1, spec, artifacts,
                Map.of("accuracy", 0.8), Map.of("model_name", spec.model().name(), "model_version", "7"), Instant.now());
    }

    static String newRunId() {
        return UUID.randomUUID().toString();
    }

    static void publish(KafkaTestClient kafka, StageEvent event) {
        kafka.publish(event);
    }

    static StageEvent awaitCompleted(KafkaTestClient kafka, String runId) {
        return kafka.awaitCompleted(Stage.IMAGE, runId, TIMEOUT);
    }

    static String awaitFailure(KafkaTestClient kafka, String runId) {
        return kafka.awaitFailed(Stage.IMAGE, runId, TIMEOUT).error();
    }
}
