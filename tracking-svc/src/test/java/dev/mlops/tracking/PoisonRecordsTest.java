package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * Records that tracking can never store (issue 17: a NUL that PostgreSQL refuses stalled every run behind it) go
 * to the dead-letter topic with the reason, and the records after them on the same partitions are recorded.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class PoisonRecordsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String EVALUATE_TOPIC = Stage.EVALUATE.completedTopic();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void recordsThatCanNeverBeStoredAreDeadLetteredAndTheNextRunOnTheirPartitionsIsRecorded() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String poisoned = startRun();
        String later = runOnTheSamePartitionsAs(poisoned);
        String marker = UUID.randomUUID().toString();

        // refused by the event reader: a NUL (JSON \u0000) in a FAILED status's error and in an evaluate param
        String nulStatus = Json.write(new StageStatusEvent(StageEvent.SCHEMA_VERSION, poisoned, "ingest", 1,
                StageStatusEvent.Status.FAILED, "nul-status-" + marker, null, Instant.now()))
                .replace("nul-status-" + marker, "Age\\u0000 nul-status-" + marker);
        String nulParam = Json.write(completed(poisoned, Map.of("nul_param", "nul-param-" + marker)))
                .replace("nul-param-" + marker, "v\\u0000 nul-param-" + marker);
        // read fine, refused by PostgreSQL: a timestamp past its range, a serving URL longer than its column
        String farFuture = Json.write(new StageStatusEvent(StageEvent.SCHEMA_VERSION, poisoned, "ingest", 1,
                        StageStatusEvent.Status.FAILED, "far-future-" + marker, null, Instant.now()))
                .replaceFirst("\"occurredAt\":\"[^\"]+\"", "\"occurredAt\":\"+300000-01-01T00:00:00Z\"");
        String longUrl = Json.write(completed(poisoned, Map.of("serving_url",
                "http://127.0.0.1/" + "x".repeat(3000), "long-url", marker)));
        assertThat(nulStatus).contains("\\u0000");
        assertThat(farFuture).contains("+300000");

        kafka.send(Topics.STAGE_STATUS, poisoned, nulStatus, Map.of());
        kafka.send(EVALUATE_TOPIC, poisoned, nulParam, Map.of());
        kafka.send(Topics.STAGE_STATUS, poisoned, farFuture, Map.of());
        kafka.send(EVALUATE_TOPIC, poisoned, longUrl, Map.of());

        assertThat(deadLetterReason(kafka, "nul-status-" + marker)).contains("control character (U+0000)");
        assertThat(deadLetterReason(kafka, "nul-param-" + marker)).contains("control character (U+0000)");
        assertThat(deadLetterReason(kafka, "far-future-" + marker)).contains("the database refused it");
        assertThat(deadLetterReason(kafka, "\"long-url\":\"" + marker)).contains("the database refused it")
                .contains("too long");

        StageEvents events = new StageEvents(kafka, later, spec());
        events.failed(Stage.INGEST, 1, "recorded after the poison");
        events.completed(Stage.EVALUATE, 1, Map.of(), Map.of("accuracy", 0.9), Map.of("after", "poison"));
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                given().when().get("/pipelines/" + later).then().statusCode(200)
                        .body("stages[0].status", equalTo("FAILED"))
                        .body("stages[0].error", equalTo("recorded after the poison"))
                        .body("stages[3].status", equalTo("COMPLETED"))
                        .body("params.after", equalTo("poison")));
        given().when().get("/pipelines/" + poisoned).then().statusCode(200)
                .body("status", equalTo("RUNNING"))
                .body("servingUrl", nullValue());
    }

    private String deadLetterReason(KafkaTestClient kafka, String valuePart) {
        ConsumerRecord<String, String> dead = kafka.await(Topics.DEAD_LETTER, r -> r.value().contains(valuePart),
                TIMEOUT);
        return KafkaTestClient.header(dead, "dead-letter-reason");
    }

    /** A run whose id lands on the same partition as {@code runId}'s on the status and evaluate topics. */
    private String runOnTheSamePartitionsAs(String runId) {
        int statusPartitions = partitions(Topics.STAGE_STATUS);
        assertThat(partitions(EVALUATE_TOPIC)).isEqualTo(statusPartitions);
        for (int i = 0; i < 50; i++) {
            String candidate = startRun();
            if (partition(candidate, statusPartitions) == partition(runId, statusPartitions)) {
                return candidate;
            }
        }
        throw new AssertionError("50 runs and none on the partition of " + runId);
    }

    /** Kafka's default partitioner for a keyed record. */
    private static int partition(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private int partitions(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p)) {
            return consumer.partitionsFor(topic, Duration.ofSeconds(30)).size();
        }
    }

    private static StageEvent completed(String runId, Map<String, String> params) {
        return StageEvent.requested(runId, spec()).withAttempt(1)
                .completed(Stage.EVALUATE, new StageResult(Map.of(), Map.of("accuracy", 0.5), params));
    }

    private static PipelineSpec spec() {
        return new PipelineSpec("poison", null, null, null, null, null, null, new PipelineSpec.Deploy("none"))
                .withDefaults("file:/data/titanic.csv");
    }

    private static String startRun() {
        return given().contentType(ContentType.JSON).body("{\"name\": \"poison\", \"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines")
                .then().statusCode(202)
                .extract().path("runId");
    }
}
