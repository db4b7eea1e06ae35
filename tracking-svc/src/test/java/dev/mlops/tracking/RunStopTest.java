package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * POST /pipelines/{id}/stop: the run is KILLED ("stopped by the API") and stays so whatever its stages still report;
 * the stages' marker is in the run's prefix; a retry runs it again; what cannot be stopped is refused.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class RunStopTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @Test
    void aStoppedRunIsKilledAndStaysKilledWhileItsStageAtWorkReports() {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = PipelineSpec.defaults("file:/data/titanic.csv");
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId, spec);
        events.completed(Stage.INGEST, 1);
        events.started(Stage.PREPROCESS, 1);
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/pipelines/" + runId).then().statusCode(200)
                .body("stages[1].status", equalTo("RUNNING")));

        given().post("/pipelines/" + runId + "/stop").then().statusCode(200)
                .body("status", equalTo("KILLED")).body("error", equalTo("stopped by the API"))
                .body("finishedAt", notNullValue());
        RunStop marker = RunStop.read(store, runId).orElseThrow();
        assertThat(marker.attempt()).isEqualTo(1);
        assertThat(marker.stoppedBy()).isEqualTo("the API");
        // and announced to the stages, keyed by the run, on the partition they read
        ConsumerRecord<String, String> notice = new KafkaTestClient(bootstrap).await(Topics.RUN_STOPS,
                r -> runId.equals(r.key()), TIMEOUT);
        assertThat(notice.partition()).isZero();
        assertThat(Json.read(notice.value(), RunStop.class)).isEqualTo(marker);

        // the stage at work finishes: recorded, and the run stays KILLED
        events.completed(Stage.PREPROCESS, 1);
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/pipelines/" + runId).then()
                .body("stages[1].status", equalTo("COMPLETED")));
        given().get("/pipelines/" + runId).then().body("status", equalTo("KILLED"))
                .body("error", equalTo("stopped by the API"));
        given().queryParam("status", "KILLED").get("/pipelines").then().statusCode(200)
                .body("runs.runId", org.hamcrest.Matchers.hasItem(runId));
        given().queryParam("run_id", runId).get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                .body("run.info.status", equalTo("KILLED"));

        // stopping it again: 409; a retry runs it again as attempt 2, which the marker does not cover
        given().post("/pipelines/" + runId + "/stop").then().statusCode(409)
                .body("message", containsString("is KILLED: only a RUNNING run can be stopped"));
        given().post("/pipelines/" + runId + "/retry").then().statusCode(202).body("attempt", equalTo(2))
                .body("from", equalTo("train"));
        given().get("/pipelines/" + runId).then().body("status", equalTo("RUNNING"));
        assertThat(RunStop.read(store, runId).orElseThrow().covers(2)).isFalse();
    }

    /** Each tried: an unknown run, a finished one, one created through the MLflow API: nothing is stopped. */
    @Test
    void whatCannotBeStoppedIsRefusedAndLeftAsItWas() {
        given().post("/pipelines/no-such-run/stop").then().statusCode(404);
        assertThat(RunStop.read(store, "no-such-run")).isEmpty();

        String finished = UUID.randomUUID().toString();
        PipelineSpec spec = new PipelineSpec("stop", null, null, null, null, null, null, new PipelineSpec.Deploy("none"))
                .withDefaults("file:/data/titanic.csv");
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), finished, spec);
        spec.stages().forEach(stage -> events.completed(stage, 1));
        await().atMost(TIMEOUT).untilAsserted(() -> given().get("/pipelines/" + finished).then().statusCode(200)
                .body("status", equalTo("SUCCEEDED")));
        given().post("/pipelines/" + finished + "/stop").then().statusCode(409)
                .body("message", containsString("is SUCCEEDED"));
        given().get("/pipelines/" + finished).then().body("status", equalTo("SUCCEEDED"));
        assertThat(RunStop.read(store, finished)).isEmpty();

        String mlflowRun = given().contentType("application/json").body("{}").post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).extract().path("run.info.run_id");
        given().post("/pipelines/" + mlflowRun + "/stop").then().statusCode(409);
        assertThat(RunStop.read(store, mlflowRun)).isEmpty();
        assertThat(Json.write(given().queryParam("run_id", mlflowRun).get("/api/2.0/mlflow/runs/get").then()
                .extract().path("run.info.status"))).isEqualTo("\"RUNNING\"");
    }
}
