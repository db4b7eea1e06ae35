package dev.mlops.tracking;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.Topics;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/**
 * POST /pipelines/{runId}/retry re-publishes a stage's input event with attempt + 1 on the real broker; the
 * refusals name what is wrong.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class RunRetryTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void retryAfterTrainFailedRepublishesPreprocessCompletedWithTheNextAttempt() {
        String runId = startPipeline("retry-train");
        Map<String, String> artifacts = failAtTrain(runId, "retry-train");

        given().when().post("/pipelines/" + runId + "/retry")
                .then().statusCode(202)
                .header("Location", endsWith("/pipelines/" + runId))
                .body("runId", equalTo(runId))
                .body("from", equalTo("train"))
                .body("attempt", equalTo(2));

        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        ConsumerRecord<String, String> record = kafka.await(Stage.PREPROCESS.completedTopic(),
                r -> runId.equals(r.key()) && EventJson.readStageEvent(r.value()).attempt() == 2, TIMEOUT);
        StageEvent input = EventJson.readStageEvent(record.value());
        assertThat(input.stage()).isEqualTo("preprocess");
        assertThat(input.artifacts()).isEqualTo(artifacts);
        assertThat(input.params()).containsEntry("dataset_sha256", "abc123");
        assertThat(input.spec().name()).isEqualTo("retry-train");
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("mlops.preprocess.completed");
        assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo(runId);
        assertThat(KafkaTestClient.header(record, "ce_source")).isEqualTo("urn:mlops:tracking-svc");

        awaitRun(runId, run -> run
                .body("status", equalTo("RUNNING"))
                .body("finishedAt", nullValue())
                .body("error", nullValue())
                .body("stages[2].attempt", equalTo(2))
                .body("stages[2].status", equalTo("PENDING"))
                .body("stages[2].attempts.status", equalTo(List.of("FAILED", "PENDING"))));
        // the new attempt runs: a second retry waits for it to finish
        given().when().post("/pipelines/" + runId + "/retry?from=train")
                .then().statusCode(409)
                .body("error_code", equalTo("INVALID_STATE"))
                .body("message", containsString("is RUNNING"));
    }

    @Test
    void retryFromIngestRepublishesThePipelineRequestFromTheStoredSpec() {
        String runId = startPipeline("retry-ingest");
        failAtTrain(runId, "retry-ingest");

        given().when().post("/pipelines/" + runId + "/retry?from=ingest")
                .then().statusCode(202)
                .body("from", equalTo("ingest"))
                .body("attempt", equalTo(2));

        ConsumerRecord<String, String> record = new KafkaTestClient(bootstrap).await(Topics.PIPELINE_REQUESTED,
                r -> runId.equals(r.key()) && EventJson.readStageEvent(r.value()).attempt() == 2, TIMEOUT);
        StageEvent request = EventJson.readStageEvent(record.value());
        assertThat(request.stage()).isEqualTo(StageEvent.REQUESTED_STAGE);
        assertThat(request.spec().name()).isEqualTo("retry-ingest");
        assertThat(request.spec().deploy().target()).isEqualTo("none");
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo(Topics.PIPELINE_REQUESTED);
        awaitRun(runId, run -> run.body("status", equalTo("RUNNING")).body("stages[0].attempt", equalTo(2)));
    }

    @Test
    void refusalsNameWhatIsWrong() {
        String unknown = UUID.randomUUID().toString();
        given().when().post("/pipelines/" + unknown + "/retry")
                .then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString(unknown));

        String running = startPipeline("retry-running");
        given().when().post("/pipelines/" + running + "/retry?from=ingest")
                .then().statusCode(409)
                .body("error_code", equalTo("INVALID_STATE"))
                .body("message", containsString("is RUNNING"));

        String failed = startPipeline("retry-refused");
        failAtTrain(failed, "retry-refused");
        given().when().post("/pipelines/" + failed + "/retry?from=training")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("from"))
                .body("message", containsString("unknown stage 'training'"))
                .body("message", containsString("ingest, preprocess, train, evaluate, image, deploy"));
        given().when().post("/pipelines/" + failed + "/retry?from=image")
                .then().statusCode(409)
                .body("message", containsString("does not go through stage 'image'"))
                .body("message", containsString("deploy.target is none"));
        given().when().post("/pipelines/" + failed + "/retry?from=deploy")
                .then().statusCode(409)
                .body("message", containsString("does not go through stage 'deploy'"));
        given().when().post("/pipelines/" + failed + "/retry?from=evaluate")
                .then().statusCode(409)
                .body("error_code", equalTo("INVALID_STATE"))
                .body("message", containsString("stage 'train' of run " + failed + " never completed"));
        // none of the refusals started an attempt
        given().when().get("/pipelines/" + failed).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("stages[2].attempt", equalTo(1));
    }

    @Test
    void aSucceededRunNeedsTheStageToRerun() {
        String runId = startPipeline("retry-succeeded");
        StageEvents events = events(runId, "retry-succeeded");
        for (Stage stage : new Stage[]{Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN, Stage.EVALUATE}) {
            events.completed(stage, 1);
        }
        awaitRun(runId, run -> run.body("status", equalTo("SUCCEEDED")));

        given().when().post("/pipelines/" + runId + "/retry")
                .then().statusCode(409)
                .body("message", containsString("?from=<stage>"));
        given().when().post("/pipelines/" + runId + "/retry?from=evaluate")
                .then().statusCode(202)
                .body("from", equalTo("evaluate"))
                .body("attempt", equalTo(2));
        awaitRun(runId, run -> run.body("status", equalTo("RUNNING")));
    }

    /** Ingest and preprocess complete (artifacts accumulate along the chain), train fails; returns preprocess's artifacts. */
    private Map<String, String> failAtTrain(String runId, String name) {
        StageEvents events = events(runId, name);
        String prefix = "s3://mlops-artifacts/runs/" + runId + "/";
        StageEvent ingested = events.completed(Stage.INGEST, 1, Map.of("raw/data.csv", prefix + "raw/data.csv"),
                Map.of("dataset_rows", 887.0), Map.of("dataset_sha256", "abc123"));
        StageEvent preprocessed = ingested.completed(Stage.PREPROCESS, new StageResult(
                Map.of("features/X_train.csv", prefix + "features/X_train.csv",
                        "features/preprocessor.json", prefix + "features/preprocessor.json"),
                Map.of("train_rows", 709.0), Map.of()));
        events.send(preprocessed);
        events.started(Stage.TRAIN, 1);
        events.failed(Stage.TRAIN, 1, "OutOfMemoryError: Java heap space");
        awaitRun(runId, run -> run.body("status", equalTo("FAILED")).body("stages[1].status", equalTo("COMPLETED")));
        return preprocessed.artifacts();
    }

    private StageEvents events(String runId, String name) {
        PipelineSpec spec = new PipelineSpec(name, null, null, null, null, null, null,
                new PipelineSpec.Deploy("none")).withDefaults("file:/data/titanic.csv");
        return new StageEvents(new KafkaTestClient(bootstrap), runId, spec);
    }

    private static String startPipeline(String name) {
        return given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines")
                .then().statusCode(202)
                .extract().path("runId");
    }

    private static void awaitRun(String runId, Consumer<ValidatableResponse> expectations) {
        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                expectations.accept(given().when().get("/pipelines/" + runId).then().statusCode(200)));
    }
}
