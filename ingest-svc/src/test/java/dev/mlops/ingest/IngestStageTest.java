package dev.mlops.ingest;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

import static dev.mlops.testing.PrometheusText.sample;
import static org.assertj.core.api.Assertions.assertThat;

/** Ingest against a real Kafka broker and a real S3 server: what a user sees when a run starts. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class IngestStageTest {

    static final Path TITANIC = Path.of("../data/titanic.csv").toAbsolutePath().normalize();
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    static HttpServer web;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @BeforeAll
    static void startWebServer() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/titanic.csv", exchange -> {
            byte[] body = Files.readAllBytes(TITANIC);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.createContext("/missing.csv", exchange -> {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        web.start();
    }

    @AfterAll
    static void stopWebServer() {
        web.stop(0);
    }

    @Test
    void storesTheShippedDatasetByteForByteAndAnnouncesIt() throws Exception {
        StageEvent completed = runIngest("file:" + TITANIC);

        String stored = completed.artifacts().get("raw/data.csv");
        assertThat(stored).isEqualTo("s3://mlops-artifacts/runs/" + completed.runId() + "/raw/data.csv");
        byte[] original = Files.readAllBytes(TITANIC);
        assertThat(store.read(URI.create(stored))).isEqualTo(original);
        assertThat(completed.params())
                .containsEntry("dataset_sha256", sha256(original))
                .containsEntry("dataset_rows", "887")
                .containsEntry("dataset_columns", "8");
        assertThat(completed.metrics()).containsEntry("dataset_rows", 887.0);
        assertThat(completed.stage()).isEqualTo("ingest");
        assertThat(completed.attempt()).isEqualTo(1);
    }

    @Test
    void completedEventIsKeyedByRunIdWithCloudEventHeaders() {
        String runId = publishRequest("file:" + TITANIC);
        ConsumerRecord<String, String> record = kafka().await("mlops.ingest.completed",
                r -> runId.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("mlops.ingest.completed");
        assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo(runId);
        assertThat(KafkaTestClient.header(record, "ce_source")).isEqualTo("urn:mlops:ingest-svc");
        ConsumerRecord<String, String> started = kafka().await(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"STARTED\""), TIMEOUT);
        assertThat(EventJson.readStatusEvent(started.value()).stage()).isEqualTo("ingest");
    }

    @Test
    void ingestsFromHttpAndFromS3() throws Exception {
        byte[] original = Files.readAllBytes(TITANIC);
        StageEvent overHttp = runIngest("http://127.0.0.1:" + web.getAddress().getPort() + "/titanic.csv");
        assertThat(store.read(URI.create(overHttp.artifact("raw/data.csv")))).isEqualTo(original);

        URI inS3 = store.put("datasets-" + UUID.randomUUID(), "titanic.csv", original, "text/csv");
        StageEvent fromS3 = runIngest(inS3.toString());
        assertThat(fromS3.params()).containsEntry("dataset_sha256", sha256(original));
    }

    @Test
    void datasetUrlAnswering404FailsTheStageSayingSo() {
        String url = "http://127.0.0.1:" + web.getAddress().getPort() + "/missing.csv";
        assertThat(failureOf(url)).contains(url).contains("404");
    }

    @Test
    void fileThatIsNotCsvFailsTheStageSayingSo() throws IOException {
        Path notCsv = Files.createTempFile("not-csv", ".png");
        Files.write(notCsv, new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I', 'H', 'D', 'R'});
        assertThat(failureOf("file:" + notCsv)).contains("is not a CSV file");
    }

    @Test
    void csvWithoutTheTargetColumnFailsNamingIt() throws IOException {
        Path noTarget = Files.createTempFile("no-target", ".csv");
        Files.writeString(noTarget, "Pclass,Sex,Age,Fare,Siblings/Spouses Aboard,Parents/Children Aboard\n3,male,22,7.25,1,0\n");
        assertThat(failureOf("file:" + noTarget)).contains("target column 'Survived'");
    }

    @Test
    void missingFileFailsSayingWhichFile() {
        assertThat(failureOf("file:/nonexistent/data.csv")).contains("/nonexistent/data.csv").contains("does not exist");
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumingGoesOn() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        kafka().send(Topics.PIPELINE_REQUESTED, garbageKey, "{not json", Map.of());
        String noRunIdKey = "no-run-id-" + UUID.randomUUID();
        kafka().send(Topics.PIPELINE_REQUESTED, noRunIdKey,
                "{\"schemaVersion\":1,\"stage\":\"pipeline\",\"attempt\":1}", Map.of());

        kafka().await(Topics.DEAD_LETTER, r -> garbageKey.equals(r.key()), TIMEOUT);
        ConsumerRecord<String, String> dead = kafka().await(Topics.DEAD_LETTER, r -> noRunIdKey.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).contains("no runId");

        StageEvent after = runIngest("file:" + TITANIC);
        assertThat(after.artifacts()).containsKey("raw/data.csv");
    }

    @Test
    void stageRunsFailuresAndDurationsAreExportedForPrometheus() {
        runIngest("file:" + TITANIC);
        failureOf("file:/nonexistent/for-metrics.csv");

        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(sample(metrics, "mlops_stage_runs_seconds_count{outcome=\"completed\",stage=\"ingest\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mlops_stage_runs_seconds_count{outcome=\"failed\",stage=\"ingest\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mlops_stage_failures_total{reason=\"StageFailure\",stage=\"ingest\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mlops_stage_in_flight{stage=\"ingest\"}")).isZero();
        assertThat(metrics).contains("mlops_stage_runs_seconds_bucket{outcome=\"completed\",stage=\"ingest\",le=");
        assertThat(sample(metrics, "mlops_events_consumed_total{topic=\"mlops.pipeline.requested\"}"))
                .isGreaterThanOrEqualTo(2);
        assertThat(sample(metrics, "mlops_events_produced_total{topic=\"mlops.ingest.completed\"}"))
                .isGreaterThanOrEqualTo(1);
        assertThat(sample(metrics, "mlops_events_produced_total{topic=\"mlops.stage.status\"}"))
                .isGreaterThanOrEqualTo(4);
    }


    private StageEvent runIngest(String datasetUri) {
        return kafka().awaitCompleted(Stage.INGEST, publishRequest(datasetUri), TIMEOUT);
    }

    private String failureOf(String datasetUri) {
        return kafka().awaitFailed(Stage.INGEST, publishRequest(datasetUri), TIMEOUT).error();
    }

    private String publishRequest(String datasetUri) {
        String runId = UUID.randomUUID().toString();
        kafka().publish(StageEvent.requested(runId, PipelineSpec.defaults(datasetUri)));
        return runId;
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
