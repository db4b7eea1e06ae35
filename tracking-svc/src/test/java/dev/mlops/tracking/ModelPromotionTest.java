package dev.mlops.tracking;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * POST /models/{name}/promote deploys a registered version again through the deploy stage (its run's image event,
 * re-published with the next attempt); what cannot be deployed is refused naming why, and nothing is published.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ModelPromotionTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void promotingAVersionRepublishesItsRunsImageEventForTheDeployStage() {
        String model = "promote-" + UUID.randomUUID().toString().substring(0, 8);
        String runId = deployedRun(model, "local");
        register(model, runId);

        promote(model, "{\"version\": 1}").then().statusCode(202)
                .body("runId", equalTo(runId)).body("from", equalTo("deploy")).body("attempt", equalTo(2));

        ConsumerRecord<String, String> record = new KafkaTestClient(bootstrap).await(Stage.IMAGE.completedTopic(),
                r -> runId.equals(r.key()) && EventJson.readStageEvent(r.value()).attempt() == 2, TIMEOUT);
        StageEvent input = EventJson.readStageEvent(record.value());
        assertThat(input.params()).containsEntry("model_name", model).containsEntry("image_ref", "mlops/" + runId);
        await().atMost(TIMEOUT).untilAsserted(() -> given().when().get("/pipelines/" + runId).then()
                .body("status", equalTo("RUNNING")).body("stages[5].attempt", equalTo(2)));

        // while that deploy runs, promoting again waits
        promote(model, "{\"version\": 1}").then().statusCode(409)
                .body("message", containsString("cannot be deployed again")).body("message", containsString("RUNNING"));
    }

    @Test
    void whatCannotBeDeployedIsRefusedNamingWhy() {
        String model = "refuse-" + UUID.randomUUID().toString().substring(0, 8);
        String notDeployed = deployedRun(model, "none");
        register(model, notDeployed);

        // tried: no version, a version the model does not have, an unknown model, a run that never built an image
        promote(model, "{}").then().statusCode(400).body("field", equalTo("version"));
        promote(model, "{\"version\": 9}").then().statusCode(400).body("field", equalTo("version"))
                .body("message", containsString("has no version 9; its versions: 1"));
        promote("no-such-model", "{\"version\": 1}").then().statusCode(404);
        promote(model, "{\"version\": 1}").then().statusCode(409)
                .body("message", containsString("does not go through stage 'deploy'"));

        assertThat(TopicContents.matching(bootstrap, Stage.IMAGE.completedTopic(), r -> notDeployed.equals(r.key())))
                .isEmpty();
        given().when().get("/pipelines/" + notDeployed).then().body("status", equalTo("SUCCEEDED"));
    }

    /** A run whose every stage completed (through deploy unless the target is none), recorded by tracking-svc. */
    private String deployedRun(String model, String target) {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = new PipelineSpec("promotion", null, null, null, null, null, null,
                new PipelineSpec.Deploy(target)).withDefaults("file:/data/titanic.csv");
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId, spec);
        for (Stage stage : spec.stages()) {
            events.completed(stage, 1, Map.of(), Map.of(), stage == Stage.IMAGE
                    ? Map.of("model_name", model, "model_version", "1", "image_ref", "mlops/" + runId) : Map.of());
        }
        await().atMost(TIMEOUT).untilAsserted(() -> given().when().get("/pipelines/" + runId).then()
                .statusCode(200).body("status", equalTo("SUCCEEDED")));
        return runId;
    }

    private static void register(String model, String runId) {
        given().contentType(ContentType.JSON).body("{\"runId\": \"" + runId + "\", \"artifactUri\": \"s3://mlops-artifacts/runs/"
                + runId + "/model/model.bin\"}").when().post("/models/" + model + "/versions").then().statusCode(201);
    }

    private static Response promote(String model, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/models/" + model + "/promote");
    }
}
