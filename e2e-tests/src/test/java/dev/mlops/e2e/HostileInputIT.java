package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.testing.KafkaTestClient;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an attacker with a valid token, or anyone who reaches Kafka or the local ports, tried against a fresh
 * {@code ./mlops up} (issue 17), each sent again here to the packaged platform. Each is refused clearly and the
 * platform goes on: a normal run afterwards succeeds and is fully tracked.
 */
@ExtendWith(LocalPlatform.class)
class HostileInputIT {

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + platform.env().get("MLOPS_KAFKA_PORT"));

    @Test
    void aNulInAFeatureNameIsRefusedAtTheApiNamingTheField() {
        // input: POST /pipelines {"features": {"numeric": ["Age\u0000"]}} (once 202, then tracking stalled on it)
        JsonNode error = platform.tracking().post("/pipelines", "{\"features\": {\"numeric\": [\"Age\\u0000\"]}}", 400);
        assertThat(error.toString()).contains("features.numeric[0]").contains("U+0000");
        normalRunSucceedsAndIsFullyTracked();
    }

    @Test
    void anUnboundedGridIsRefusedAtTheApiNamingTheLimit() {
        // input: the grid that once overflowed the candidate count and killed train-svc with OutOfMemoryError
        JsonNode error = platform.tracking().post("/pipelines", hugeGridSpec(), 400);
        assertThat(error.toString()).contains("model.grid").contains("mlops.limits.max-candidate-fits");
        normalRunSucceedsAndIsFullyTracked();
    }

    @Test
    void poisonRecordsInjectedIntoKafkaGoToTheDeadLetterTopicAndTrackingGoesOn() {
        String victim = normalRunSucceedsAndIsFullyTracked();
        // input, with no token, straight to the broker: an evaluate.completed event whose param value holds a NUL,
        // and a FAILED status whose error holds one (once they blocked every later run's completion)
        String evaluated = Json.write(kafka.awaitCompleted(Stage.EVALUATE, victim, Duration.ofSeconds(30)))
                .replace("\"params\":{", "\"params\":{\"poison\":\"a\\u0000b\",");
        String failed = "{\"schemaVersion\":1,\"runId\":\"" + victim + "\",\"stage\":\"train\",\"attempt\":1,"
                + "\"status\":\"FAILED\",\"error\":\"x\\u0000y\"}";
        kafka.send(Stage.EVALUATE.completedTopic(), victim, evaluated, Map.of());
        kafka.send(Topics.STAGE_STATUS, victim, failed, Map.of());

        List<ConsumerRecord<String, String>> parked = kafka.awaitAll(Topics.DEAD_LETTER,
                r -> r.value().equals(evaluated) || r.value().equals(failed), 2, Duration.ofSeconds(60));
        assertThat(parked).allSatisfy(r -> assertThat(header(r, "dead-letter-reason")).contains("control character"));
        assertThat(platform.tracking().run(victim).path("status").asText()).isEqualTo("SUCCEEDED");
        normalRunSucceedsAndIsFullyTracked();
    }

    @Test
    void aGridInjectedPastTheApiFailsThatRunAtTrainAndTrainKeepsConsuming() {
        String runId = normalRunSucceedsAndIsFullyTracked();
        // input: the run's own preprocess.completed event again, as attempt 2, with an unbounded grid in its spec
        StageEvent preprocessed = kafka.awaitCompleted(Stage.PREPROCESS, runId, Duration.ofSeconds(30));
        ObjectNode event = (ObjectNode) Json.tree(Json.write(preprocessed.withAttempt(2)));
        ObjectNode grid = (ObjectNode) event.path("spec").path("model").path("grid");
        grid.set("min_samples_split", Json.tree(range(2, 46_341)));
        grid.set("min_samples_leaf", Json.tree(range(1, 46_340)));
        kafka.send(Stage.PREPROCESS.completedTopic(), runId, event.toString(),
                Map.of("ce_type", Stage.PREPROCESS.completedTopic(), "ce_subject", runId));

        String error = kafka.awaitFailed(Stage.TRAIN, runId, Duration.ofSeconds(60)).error();
        assertThat(error).contains("mlops.limits.max-candidate-fits");
        assertThat(health("MLOPS_TRAIN_PORT")).as("train-svc readiness").isEqualTo(200);
        normalRunSucceedsAndIsFullyTracked();
    }

    @Test
    void anEventCarryingAnotherRunsArtifactsIsDeadLetteredAndThatRunIsUntouched() {
        String victim = normalRunSucceedsAndIsFullyTracked();
        String other = normalRunSucceedsAndIsFullyTracked();
        URI victimMetrics = URI.create(platform.artifacts(platform.tracking().run(victim)).get("evaluate/metrics.json"));
        byte[] before = platform.artifacts().read(victimMetrics);

        // input: the other run's train.completed event, relabelled as the victim's attempt 98 (it once overwrote the
        // victim's evaluate/metrics.json and flipped it from SUCCEEDED to FAILED)
        StageEvent trained = kafka.awaitCompleted(Stage.TRAIN, other, Duration.ofSeconds(30));
        String injected = Json.write(trained.withAttempt(98)).replace("\"runId\":\"" + other + "\"",
                "\"runId\":\"" + victim + "\"");
        kafka.send(Stage.TRAIN.completedTopic(), victim, injected, Map.of());

        // parked twice: by tracking and by evaluate-svc, each naming the foreign artifact
        List<ConsumerRecord<String, String>> parked = kafka.awaitAll(Topics.DEAD_LETTER,
                r -> r.value().equals(injected), 2, Duration.ofSeconds(60));
        assertThat(parked).allSatisfy(r -> assertThat(header(r, "dead-letter-reason")).contains(other));
        assertThat(platform.artifacts().read(victimMetrics)).as("the victim's evaluate/metrics.json").isEqualTo(before);
        JsonNode run = platform.tracking().run(victim);
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.toString()).doesNotContain("\"attempt\":98");
        normalRunSucceedsAndIsFullyTracked();
    }

    @Test
    void theArtifactStoreRefusesAnonymousRequests() throws Exception {
        // input: an unsigned GET of the bucket (it once listed every key)
        HttpResponse<String> listing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + platform.env().get("MLOPS_S3_PORT") + "/mlops-artifacts")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(listing.statusCode()).isEqualTo(403);
        assertThat(listing.body()).doesNotContain("runs/");
    }

    /** A small grid, not deployed: every stage up to evaluate COMPLETED, metrics, params and artifacts recorded. */
    private String normalRunSucceedsAndIsFullyTracked() {
        String runId = platform.tracking().startPipeline(ResilienceIT.SMALL_GRID_NOT_DEPLOYED);
        JsonNode run = platform.awaitEnd(runId, Duration.ofMinutes(3));
        assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
        assertThat(platform.completedStages(run)).containsExactly("ingest", "preprocess", "train", "evaluate");
        assertThat(run.path("metrics").path("accuracy").isNumber()).as("metrics of %s", run).isTrue();
        assertThat(platform.artifacts(run)).containsKeys("raw/data.csv", "model/model.bin", "evaluate/metrics.json");
        return runId;
    }

    private int health(String portVariable) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + platform.env().get(portVariable) + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (Exception e) {
            throw new IllegalStateException("health of " + portVariable, e);
        }
    }

    private static String hugeGridSpec() {
        return "{\"model\": {\"grid\": {\"n_estimators\": [100], \"min_samples_split\": " + range(2, 46_341)
                + ", \"min_samples_leaf\": " + range(1, 46_340) + "}}}";
    }

    private static String range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString).collect(Collectors.joining(",", "[", "]"));
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? "" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
