package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import dev.mlops.tracking.repository.RunRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/**
 * gate.mustBeatProduction as tracking-svc shows it: a run whose evaluate kept the production model is SUCCEEDED
 * after evaluate, with the decision and its reason in GET /pipelines/{id}; a retry from evaluate decides again.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class KeptProductionRunTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final String KEPT_NOTE = "kept production version 1 (accuracy 0.7900 vs 0.8200, needed > 0.8200 + 0.0000)";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    RunRepository runs;

    @Test
    void aRunThatKeptProductionSucceedsAfterEvaluateSayingWhyAndARetryFromEvaluateDecidesAgain() {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = new PipelineSpec("champion", null, null, null, null, null,
                new PipelineSpec.Gate(0.7, null, null, true, 0.0), new PipelineSpec.Deploy("local"))
                .withDefaults("file:/data/titanic.csv");
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId, spec);
        for (Stage stage : List.of(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN)) {
            events.completed(stage, 1);
        }
        events.completed(Stage.EVALUATE, 1, Map.of(), Map.of("accuracy", 0.79, "production_accuracy", 0.82),
                Map.of("release", "kept", "production_version", "1", "release_note", KEPT_NOTE));

        await().atMost(TIMEOUT).untilAsserted(() -> given().when().get("/pipelines/" + runId).then()
                .statusCode(200)
                .body("status", equalTo("SUCCEEDED"))
                .body("finishedAt", notNullValue())
                .body("error", nullValue())
                .body("release.decision", equalTo("kept"))
                .body("release.productionVersion", equalTo(1))
                .body("release.message", equalTo(KEPT_NOTE))
                .body("stages.stage", equalTo(List.of("ingest", "preprocess", "train", "evaluate")))
                .body("metrics.production_accuracy", equalTo(0.82f))
                .body("servingUrl", nullValue()));

        // image and deploy would skip it: a retry from there is refused, and the run stays as it was
        given().when().post("/pipelines/" + runId + "/retry?from=image").then().statusCode(409)
                .body("message", containsString("kept the production model at evaluate (" + KEPT_NOTE + ")"))
                .body("message", containsString("retry from evaluate to decide again"));
        given().when().get("/pipelines/" + runId).then().body("status", equalTo("SUCCEEDED"))
                .body("stages.attempt", equalTo(List.of(1, 1, 1, 1)));

        given().when().post("/pipelines/" + runId + "/retry?from=evaluate").then().statusCode(202)
                .body("attempt", equalTo(2));
        events.completed(Stage.EVALUATE, 2, Map.of(), Map.of("accuracy", 0.85, "production_accuracy", 0.82),
                Map.of("release", "promoted", "production_version", "1", "release_note", "released: beats ..."));

        await().atMost(TIMEOUT).untilAsserted(() -> given().when().get("/pipelines/" + runId).then()
                .body("status", equalTo("RUNNING"))
                .body("release.decision", equalTo("promoted"))
                .body("stages.stage", equalTo(List.of("ingest", "preprocess", "train", "evaluate", "image", "deploy")))
                .body("stages[4].status", equalTo("PENDING")));
    }

    @ParameterizedTest(name = "gate.minImprovement {0}")
    @ValueSource(strings = {"-0.1", "2"})
    void aMinImprovementOutsideZeroToOneAnswers400NamingItAndStartsNoRun(String minImprovement) {
        String name = "bad-improvement-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"gate\": {\"mustBeatProduction\": true, \"minImprovement\": "
                        + minImprovement + "}}")
                .when().post("/pipelines")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("gate.minImprovement"))
                .body("message", containsString("between 0 and 1"));

        assertThat(QuarkusTransaction.requiringNew().call(() -> runs.count("name", name))).isZero();
    }
}
