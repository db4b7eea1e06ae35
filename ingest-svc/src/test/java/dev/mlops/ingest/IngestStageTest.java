package dev.mlops.ingest;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.RunStop;
import dev.mlops.runtime.stage.EventPathWarmUp;
import dev.mlops.runtime.stage.WarmUpConsumer;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.mlops.ingest.IngestRuns.TIMEOUT;
import static dev.mlops.ingest.TestDatasets.TITANIC;
import static dev.mlops.testing.PrometheusText.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Ingest against a real Kafka broker and a real S3 server: what a user sees when a run starts. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class IngestStageTest {

    @Inject
    IngestRuns runs;

    @Inject
    WarmUpConsumer warmUp;

    @Test
    void storesTheShippedDatasetByteForByteAndAnnouncesIt() throws Exception {
        StageEvent completed = runs.completed("file:" + TITANIC);

        String stored = completed.artifacts().get("raw/data.csv");
        assertThat(stored).isEqualTo("s3://mlops-artifacts/runs/" + completed.runId() + "/raw/data.csv");
        byte[] original = TestDatasets.titanic();
        assertThat(runs.store().read(URI.create(stored))).isEqualTo(original);
        assertThat(runs.storedObjects(completed.runId())).contains("runs/" + completed.runId() + "/raw/data.csv");
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
        String runId = runs.publish("file:" + TITANIC);
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
    void ingestsFromTheArtifactBucket() throws Exception {
        byte[] original = TestDatasets.titanic();
        URI inS3 = runs.store().put("datasets-" + UUID.randomUUID(), "titanic.csv", original, "text/csv");
        StageEvent fromS3 = runs.completed(inS3.toString());
        assertThat(fromS3.params()).containsEntry("dataset_sha256", sha256(original));
    }

    @Test
    void s3DatasetsThatDoNotExistFailTheStageSayingSo() {
        String missingKey = "s3://mlops-artifacts/datasets/" + UUID.randomUUID() + ".csv";
        assertThat(runs.failed(missingKey).error()).isEqualTo("dataset " + missingKey + " does not exist");
        // mlops-no-such-bucket is allowed by %test.mlops.ingest.s3-buckets but was never created
        assertThat(runs.failed("s3://mlops-no-such-bucket/titanic.csv").error())
                .contains("bucket 'mlops-no-such-bucket' does not exist");
    }

    @Test
    void fileThatIsNotCsvFailsTheStageSayingSo() {
        Path notCsv = TestDatasets.inRoot("not-csv.png", new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 0, 0, 13, 'I'});
        assertThat(runs.failed("file:" + notCsv).error()).contains("is not a CSV file");
    }

    @Test
    void csvWithoutTheTargetColumnFailsNamingIt() {
        Path noTarget = TestDatasets.inRoot("no-target.csv", ("Pclass,Sex,Age,Fare,Siblings/Spouses Aboard,"
                + "Parents/Children Aboard\n3,male,22,7.25,1,0\n").getBytes(StandardCharsets.UTF_8));
        assertThat(runs.failed("file:" + noTarget).error()).contains("target column 'Survived'");
    }

    @Test
    void missingFileFailsSayingWhichFile() {
        Path missing = TestDatasets.ROOT.resolve("nonexistent/data.csv");
        IngestRuns.Failure failure = runs.failed("file:" + missing);
        assertThat(failure.error()).isEqualTo("dataset file " + missing + " does not exist");
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumingGoesOn() {
        String garbageKey = "garbage-" + UUID.randomUUID();
        kafka().send(Topics.PIPELINE_REQUESTED, garbageKey, "{not json", Map.of());
        String noRunIdKey = "no-run-id-" + UUID.randomUUID();
        kafka().send(Topics.PIPELINE_REQUESTED, noRunIdKey,
                "{\"schemaVersion\":1,\"stage\":\"pipeline\",\"attempt\":1}", Map.of());

        kafka().await(Topics.DEAD_LETTER, r -> garbageKey.equals(r.key()), TIMEOUT);
        ConsumerRecord<String, String> dead = kafka().await(Topics.DEAD_LETTER, r -> noRunIdKey.equals(r.key()),
                TIMEOUT);
        assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).contains("no runId");

        StageEvent after = runs.completed("file:" + TITANIC);
        assertThat(after.artifacts()).containsKey("raw/data.csv");
    }

    @Test
    void aRunStoppedBeforeItsRequestIsReadIsNotStarted() {
        // input: a run's stop as tracking-svc makes it (the marker in the store, the notice on mlops.run.stops), then
        // its pipeline request, then another run's request on the same partition (so it is consumed after)
        String stoppedRun = UUID.randomUUID().toString();
        RunStop stop = new RunStop(1, "the API", Instant.now());
        stop.write(runs.store(), stoppedRun);
        double noticesBefore = consumed(Topics.RUN_STOPS);
        kafka().announceStop(stoppedRun, stop);
        await().atMost(TIMEOUT).until(() -> consumed(Topics.RUN_STOPS) > noticesBefore);

        kafka().send(Topics.PIPELINE_REQUESTED, stoppedRun, Json.write(StageEvent.requested(stoppedRun,
                PipelineSpec.defaults("file:" + TITANIC))), Map.of());
        String nextRun = UUID.randomUUID().toString();
        kafka().send(Topics.PIPELINE_REQUESTED, stoppedRun, Json.write(StageEvent.requested(nextRun,
                PipelineSpec.defaults("file:" + TITANIC))), Map.of());
        kafka().awaitCompleted(Stage.INGEST, nextRun, TIMEOUT);

        assertThatThrownBy(() -> kafka().awaitAll(Topics.STAGE_STATUS, r -> stoppedRun.equals(r.key()), 1,
                Duration.ofSeconds(3))).as("no STARTED or FAILED of the stopped run").hasMessageStartingWith("found 0");
        assertThat(runs.storedObjects(stoppedRun)).as("nothing ingested").isEmpty();
    }

    @Test
    void onceStartedTheServiceWarmsItsEventPathThroughKafkaWhereNoRunSeesIt() {
        // input: none; the service started for this test class sends its warm-up records and takes them back
        List<ConsumerRecord<String, String>> records = kafka().awaitAll(Topics.WARM_UP,
                r -> EventPathWarmUp.RUN_ID.equals(r.key()), EventPathWarmUp.RECORDS, TIMEOUT);
        assertThat(records).allSatisfy(r -> {
            assertThat(r.partition()).isEqualTo(Topics.SINGLE_PARTITION);
            assertThat(KafkaTestClient.header(r, "ce_type")).as("sent as STARTED is").isEqualTo(Topics.WARM_UP);
            assertThat(EventJson.readStageEvent(r.value()).runId()).isEqualTo(EventPathWarmUp.RUN_ID);
        });
        await().atMost(TIMEOUT).untilAsserted(() -> assertThat(warmUp.taken()).as("records taken as input events")
                .isGreaterThanOrEqualTo(EventPathWarmUp.RECORDS));

        assertThatThrownBy(() -> kafka().awaitAll(Topics.STAGE_STATUS, r -> EventPathWarmUp.RUN_ID.equals(r.key()), 1,
                Duration.ofSeconds(3))).as("no status of the made-up run").hasMessageStartingWith("found 0");
        assertThat(runs.storedObjects(EventPathWarmUp.RUN_ID)).as("nothing stored for it").isEmpty();
    }

    private static double consumed(String topic) {
        String metrics = io.restassured.RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        String series = "mlops_events_consumed_total{topic=\"" + topic + "\"}";
        return metrics.contains(series + " ") ? sample(metrics, series) : 0;
    }

    @Test
    void stageRunsFailuresAndDurationsAreExportedForPrometheus() {
        runs.completed("file:" + TITANIC);
        runs.failed("file:" + TestDatasets.ROOT.resolve("nonexistent/for-metrics.csv"));

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

    private KafkaTestClient kafka() {
        return runs.kafka();
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
