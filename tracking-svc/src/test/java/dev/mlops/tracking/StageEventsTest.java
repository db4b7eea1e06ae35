package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import dev.mlops.tracking.repository.HeldStageStatusRepository;
import dev.mlops.tracking.repository.RunArtifactRepository;
import dev.mlops.tracking.repository.RunMetricRepository;
import dev.mlops.tracking.repository.RunParamRepository;
import dev.mlops.tracking.repository.StageExecutionRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * Stage events injected on the real broker, as the stage services publish them, drive what
 * GET /pipelines/{runId} shows: tracking-svc's consumers read them from Kafka and record them in PostgreSQL.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class StageEventsTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    StageExecutionRepository executions;
    @Inject
    RunParamRepository params;
    @Inject
    RunMetricRepository metrics;
    @Inject
    RunArtifactRepository artifacts;
    @Inject
    HeldStageStatusRepository held;

    @Test
    void statusAndCompletedEventsDriveTheRunToSucceeded() {
        String runId = startPipeline("{\"name\": \"no-deploy\", \"deploy\": {\"target\": \"none\"}}");
        StageEvents events = events(runId, "no-deploy", "none");

        events.started(Stage.INGEST, 1);
        awaitRun(runId, run -> run
                .body("status", equalTo("RUNNING"))
                .body("stages[0].stage", equalTo("ingest"))
                .body("stages[0].status", equalTo("RUNNING"))
                .body("stages[0].attempt", equalTo(1))
                .body("stages[0].startedAt", notNullValue())
                .body("stages[1].status", equalTo("PENDING"))
                .body("stages[1].attempt", nullValue()));

        events.completed(Stage.INGEST, 1, Map.of("raw/data.csv", "s3://mlops-artifacts/runs/" + runId + "/raw/data.csv"),
                Map.of("dataset_rows", 887.0), Map.of("dataset_sha256", "abc123"));
        awaitRun(runId, run -> run
                .body("stages[0].status", equalTo("COMPLETED"))
                .body("stages[0].finishedAt", notNullValue())
                .body("stages[0].durationMs", greaterThanOrEqualTo(0))
                .body("params.dataset_sha256", equalTo("abc123"))
                .body("metrics.dataset_rows", equalTo(887.0f))
                .body("artifacts.'raw/data.csv'", equalTo("s3://mlops-artifacts/runs/" + runId + "/raw/data.csv"))
                .body("status", equalTo("RUNNING")));

        events.started(Stage.PREPROCESS, 1);
        events.completed(Stage.PREPROCESS, 1);
        events.started(Stage.TRAIN, 1);
        events.progress(Stage.TRAIN, 1, 12, 108);
        awaitRun(runId, run -> run
                .body("stages[2].status", equalTo("RUNNING"))
                .body("stages[2].progress.done", equalTo(12))
                .body("stages[2].progress.total", equalTo(108)));

        events.completed(Stage.TRAIN, 1, Map.of("model/model.bin", "s3://mlops-artifacts/runs/" + runId + "/model/model.bin"),
                Map.of("cv_accuracy", 0.81), Map.of("n_estimators", "200"));
        events.started(Stage.EVALUATE, 1);
        events.completed(Stage.EVALUATE, 1, Map.of(), Map.of("accuracy", 0.83, "f1", 0.82), Map.of());
        awaitRun(runId, run -> run
                .body("status", equalTo("SUCCEEDED"))
                .body("finishedAt", notNullValue())
                .body("durationMs", greaterThanOrEqualTo(0))
                .body("stages.status", equalTo(List.of("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED")))
                .body("stages[2].progress.done", equalTo(108))
                .body("metrics.accuracy", equalTo(0.83f))
                .body("metrics.cv_accuracy", equalTo(0.81f))
                .body("params.n_estimators", equalTo("200"))
                .body("artifacts.size()", equalTo(2))
                .body("servingUrl", nullValue()));
    }

    @Test
    void aFailedStageFailsTheRunAndARetryMakesItRunningAgain() {
        String runId = startPipeline("{\"name\": \"retried\", \"deploy\": {\"target\": \"none\"}}");
        StageEvents events = events(runId, "retried", "none");
        events.started(Stage.INGEST, 1);
        events.completed(Stage.INGEST, 1);
        events.started(Stage.PREPROCESS, 1);
        events.completed(Stage.PREPROCESS, 1);
        events.started(Stage.TRAIN, 1);
        events.failed(Stage.TRAIN, 1, "OutOfMemoryError: Java heap space");
        awaitRun(runId, run -> run
                .body("status", equalTo("FAILED"))
                .body("finishedAt", notNullValue())
                .body("error", containsString("OutOfMemoryError: Java heap space"))
                .body("stages[2].status", equalTo("FAILED"))
                .body("stages[2].error", equalTo("OutOfMemoryError: Java heap space"))
                .body("stages[2].finishedAt", notNullValue())
                .body("stages[3].status", equalTo("PENDING")));

        // the user re-publishes preprocess's completed event with attempt 2; train starts again
        events.started(Stage.TRAIN, 2);
        awaitRun(runId, run -> run
                .body("status", equalTo("RUNNING"))
                .body("finishedAt", nullValue())
                .body("error", nullValue())
                .body("stages[2].status", equalTo("RUNNING"))
                .body("stages[2].attempt", equalTo(2))
                .body("stages[2].error", nullValue())
                .body("stages[2].attempts", hasSize(2))
                .body("stages[2].attempts[0].attempt", equalTo(1))
                .body("stages[2].attempts[0].status", equalTo("FAILED"))
                .body("stages[2].attempts[0].error", equalTo("OutOfMemoryError: Java heap space"))
                .body("stages[2].attempts[1].attempt", equalTo(2))
                .body("stages[2].attempts[1].status", equalTo("RUNNING")));

        events.completed(Stage.TRAIN, 2);
        events.started(Stage.EVALUATE, 2);
        events.completed(Stage.EVALUATE, 2);
        awaitRun(runId, run -> run
                .body("status", equalTo("SUCCEEDED"))
                .body("stages[2].attempts.status", equalTo(List.of("FAILED", "COMPLETED")))
                .body("stages[3].attempt", equalTo(2)));
    }

    @Test
    void completedBeforeStartedStaysCompleted() {
        String runId = startPipeline("{\"name\": \"out-of-order\"}");
        StageEvents events = events(runId, "out-of-order", "local");
        events.completed(Stage.INGEST, 1);
        awaitRun(runId, run -> run.body("stages[0].status", equalTo("COMPLETED")));

        events.started(Stage.INGEST, 1);
        events.progress(Stage.INGEST, 1, 1, 2);
        events.failed(Stage.INGEST, 1, "late failure must not undo a completion");
        events.started(Stage.PREPROCESS, 1);  // recorded after the ingest events on the same topic
        awaitRun(runId, run -> run
                .body("stages[1].status", equalTo("RUNNING"))
                .body("stages[0].status", equalTo("COMPLETED"))
                .body("stages[0].startedAt", notNullValue())
                .body("stages[0].error", nullValue())
                .body("status", equalTo("RUNNING")));
    }

    @Test
    void redeliveredEventsLeaveOneRowEach() {
        String runId = startPipeline("{\"name\": \"redelivered\"}");
        StageEvents events = events(runId, "redelivered", "local");
        events.started(Stage.INGEST, 1);
        events.started(Stage.INGEST, 1);
        String raw = "s3://mlops-artifacts/runs/" + runId + "/raw/data.csv";
        StageEvent completed = events.completed(Stage.INGEST, 1, Map.of("raw/data.csv", raw),
                Map.of("dataset_rows", 887.0), Map.of("dataset_sha256", "abc"));
        events.send(completed);
        events.send(completed);
        // attempt 2 on the same topic and key is read after the duplicates
        events.completed(Stage.INGEST, 2, Map.of("raw/data.csv", raw), Map.of("dataset_rows", 887.0),
                Map.of("dataset_sha256", "abc"));
        awaitRun(runId, run -> run.body("stages[0].attempt", equalTo(2)));

        QuarkusTransaction.requiringNew().run(() -> {
            assertThat(executions.forRun(runId)).extracting(e -> e.stage + "#" + e.attempt)
                    .containsExactlyInAnyOrder("ingest#1", "ingest#2");
            assertThat(params.forRun(runId)).hasSize(1);
            assertThat(metrics.history(runId, "dataset_rows")).hasSize(1);
            assertThat(artifacts.forRun(runId)).hasSize(1);
        });
    }

    @Test
    void deployCompletedSetsTheServingUrlAndEndsTheRun() {
        String runId = startPipeline("{\"name\": \"deployed\"}");
        StageEvents events = events(runId, "deployed", "local");
        for (Stage stage : Stage.values()) {
            events.started(stage, 1);
            events.completed(stage, 1, Map.of(), Map.of(),
                    stage == Stage.DEPLOY ? Map.of("serving_url", "http://127.0.0.1:8090") : Map.of());
        }
        awaitRun(runId, run -> run
                .body("status", equalTo("SUCCEEDED"))
                .body("stages", hasSize(6))
                .body("servingUrl", equalTo("http://127.0.0.1:8090")));
    }

    @Test
    void completedEventOfAnUnknownRunCreatesItFromTheSpec() {
        String runId = UUID.randomUUID().toString();
        StageEvents events = events(runId, "from-kafka", "none");
        events.completed(Stage.INGEST, 1);
        awaitRun(runId, run -> run
                .body("name", equalTo("from-kafka"))
                .body("status", equalTo("RUNNING"))
                .body("spec.deploy.target", equalTo("none"))
                .body("stages[0].status", equalTo("COMPLETED"))
                .body("tags.'mlops.spec.name'", equalTo("from-kafka")));
    }

    @Test
    void statusEventsReadBeforeTheirRunIsRecordedAreAppliedWhenItIs() {
        // a run first seen through injected events: preprocess's STARTED and PROGRESS (on mlops.stage.status) are
        // read before ingest's completed event, which is what records the run (it carries the spec)
        String runId = UUID.randomUUID().toString();
        StageEvents events = events(runId, "status-first", "none");
        events.started(Stage.PREPROCESS, 1);
        events.progress(Stage.PREPROCESS, 1, 3, 4);
        await().atMost(TIMEOUT).until(() -> heldEventsOf(runId) == 2);
        given().when().get("/pipelines/" + runId).then().statusCode(404);

        events.completed(Stage.INGEST, 1);
        awaitRun(runId, run -> run
                .body("name", equalTo("status-first"))
                .body("status", equalTo("RUNNING"))
                .body("stages[0].status", equalTo("COMPLETED"))
                .body("stages[1].status", equalTo("RUNNING"))
                .body("stages[1].startedAt", notNullValue())
                .body("stages[1].progress.done", equalTo(3))
                .body("stages[1].progress.total", equalTo(4)));
        assertThat(heldEventsOf(runId)).isZero();
    }

    @Test
    void aStatusEventOfARunThatNeverAppearsDoesNotStopTheOthers() {
        String ghost = UUID.randomUUID().toString();
        events(ghost, "ghost", "none").started(Stage.INGEST, 1);
        String runId = startPipeline("{\"name\": \"after-ghost\"}");
        events(runId, "after-ghost", "local").started(Stage.INGEST, 1);
        awaitRun(runId, run -> run.body("stages[0].status", equalTo("RUNNING")));
        await().atMost(TIMEOUT).until(() -> heldEventsOf(ghost) == 1);
        given().when().get("/pipelines/" + ghost).then().statusCode(404);
    }

    private long heldEventsOf(String runId) {
        return QuarkusTransaction.requiringNew().call(() -> held.count("runId", runId));
    }

    @Test
    void unreadableRecordsGoToTheDeadLetterTopicAndConsumingGoesOn() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        String garbageKey = "garbage-" + UUID.randomUUID();
        String noRunIdKey = "no-run-id-" + UUID.randomUUID();
        String badVersionKey = "bad-version-" + UUID.randomUUID();
        String trainGarbageKey = "train-garbage-" + UUID.randomUUID();
        kafka.send(Topics.STAGE_STATUS, garbageKey, "{not json", Map.of());
        kafka.send(Topics.STAGE_STATUS, noRunIdKey,
                "{\"schemaVersion\":1,\"stage\":\"ingest\",\"attempt\":1,\"status\":\"STARTED\"}", Map.of());
        kafka.send(Topics.STAGE_STATUS, badVersionKey,
                "{\"schemaVersion\":99,\"runId\":\"r\",\"stage\":\"ingest\",\"attempt\":1,\"status\":\"STARTED\"}", Map.of());
        kafka.send("mlops.train.completed", trainGarbageKey, "not an event at all", Map.of());

        kafka.await(Topics.DEAD_LETTER, r -> garbageKey.equals(r.key()), TIMEOUT);
        ConsumerRecord<String, String> noRunId = kafka.await(Topics.DEAD_LETTER, r -> noRunIdKey.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(noRunId, "dead-letter-reason")).contains("no runId");
        ConsumerRecord<String, String> badVersion = kafka.await(Topics.DEAD_LETTER,
                r -> badVersionKey.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(badVersion, "dead-letter-reason")).contains("unknown schemaVersion 99");
        ConsumerRecord<String, String> trainGarbage = kafka.await(Topics.DEAD_LETTER,
                r -> trainGarbageKey.equals(r.key()), TIMEOUT);
        assertThat(trainGarbage.value()).isEqualTo("not an event at all");
        assertThat(KafkaTestClient.header(trainGarbage, "dead-letter-topic")).isEqualTo("mlops.train.completed");

        String runId = startPipeline("{\"name\": \"after-garbage\"}");
        StageEvents events = events(runId, "after-garbage", "local");
        events.started(Stage.INGEST, 1);
        events.completed(Stage.INGEST, 1);
        events.started(Stage.PREPROCESS, 1);
        events.completed(Stage.PREPROCESS, 1);
        events.completed(Stage.TRAIN, 1);
        awaitRun(runId, run -> run
                .body("stages[0].status", equalTo("COMPLETED"))
                .body("stages[1].status", equalTo("COMPLETED"))
                .body("stages[2].status", equalTo("COMPLETED")));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            another run's prefix         | raw/data.csv  | s3://mlops-artifacts/runs/OTHER/raw/data.csv | not under the run's prefix
            '..' out of the run's prefix | raw/data.csv  | s3://mlops-artifacts/runs/RUN/../OTHER/x.csv | '..' segments
            encoded '..'                 | raw/data.csv  | s3://mlops-artifacts/runs/RUN/%2e%2e/x.csv   | '..' segments
            absolute path                | raw/data.csv  | /etc/passwd                                  | not under the run's prefix
            file URI                     | raw/data.csv  | file:///etc/passwd                           | not under the run's prefix
            another bucket               | raw/data.csv  | s3://other-bucket/runs/RUN/raw/data.csv      | not under the run's prefix
            name with '..'               | ../x.csv      | s3://mlops-artifacts/runs/RUN/x.csv          | artifact name '../x.csv'
            absolute name                | /etc/passwd   | s3://mlops-artifacts/runs/RUN/x.csv          | artifact name '/etc/passwd'
            """)
    void artifactsOutsideTheRunsPrefixSendTheEventToTheDeadLetterTopic(String what, String name, String uriTemplate,
                                                                       String reason) {
        String runId = UUID.randomUUID().toString();
        String uri = uriTemplate.replace("RUN", runId).replace("OTHER", UUID.randomUUID().toString());
        events(runId, "escaping", "none").completed(Stage.INGEST, 1, Map.of(name, uri), Map.of(), Map.of());

        ConsumerRecord<String, String> dead = new KafkaTestClient(bootstrap)
                .await(Topics.DEAD_LETTER, r -> runId.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(dead, "dead-letter-topic")).isEqualTo("mlops.ingest.completed");
        assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).contains("outside the run").contains(reason);
        given().when().get("/pipelines/" + runId).then().statusCode(404);
    }

    private StageEvents events(String runId, String name, String deployTarget) {
        PipelineSpec spec = new PipelineSpec(name, null, null, null, null, null, null,
                new PipelineSpec.Deploy(deployTarget)).withDefaults("file:/data/titanic.csv");
        return new StageEvents(new KafkaTestClient(bootstrap), runId, spec);
    }

    private static String startPipeline(String spec) {
        return given().contentType(ContentType.JSON).body(spec)
                .when().post("/pipelines")
                .then().statusCode(202)
                .extract().path("runId");
    }

    private static void awaitRun(String runId, Consumer<ValidatableResponse> expectations) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                expectations.accept(given().when().get("/pipelines/" + runId).then().statusCode(200)));
    }
}
