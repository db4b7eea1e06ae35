package dev.mlops.tracking;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * The web UI's "try it" box: {@code POST /pipelines/{id}/invocations} scores records through the serving URL the run's
 * deploy recorded and answers what the endpoint answered; a run that serves nothing, or an endpoint that is gone,
 * answers an error saying so.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class RunInvocationsTest {

    static final String RECORD = "{\"dataframe_records\": [{\"Pclass\": 3, \"Sex\": \"male\", \"Age\": 22}]}";

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void recordsAreScoredByTheEndpointTheRunDeployedTo() throws Exception {
        AtomicReference<String> received = new AtomicReference<>();
        HttpServer endpoint = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        endpoint.createContext("/invocations", exchange -> {
            received.set(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] answer = "{\"predictions\": [0]}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            exchange.getResponseBody().write(answer);
            exchange.close();
        });
        endpoint.start();
        try {
            String runId = deployedAt("http://127.0.0.1:" + endpoint.getAddress().getPort() + "/invocations");

            given().contentType(ContentType.JSON).body(RECORD).when().post("/pipelines/" + runId + "/invocations")
                    .then().statusCode(200).contentType(ContentType.JSON).body("predictions[0]", equalTo(0));
            assertThat(received.get()).isEqualTo(RECORD);
        } finally {
            endpoint.stop(0);
        }
    }

    @Test
    void aRunThatServesNothingOrAnEndpointThatIsGoneAnswersWhy() {
        // tried: a run whose deploy never completed, an unknown run, a serving URL nothing listens on
        String notDeployed = TestRuns.startRun();
        given().contentType(ContentType.JSON).body(RECORD).when().post("/pipelines/" + notDeployed + "/invocations")
                .then().statusCode(409).body("error_code", equalTo("INVALID_STATE"))
                .body("message", containsString("serves no model"));
        given().contentType(ContentType.JSON).body(RECORD).when().post("/pipelines/no-such-run/invocations")
                .then().statusCode(404);

        String gone = deployedAt("http://127.0.0.1:" + Ports.free() + "/invocations");
        given().contentType(ContentType.JSON).body(RECORD).when().post("/pipelines/" + gone + "/invocations")
                .then().statusCode(502).body("error_code", equalTo("BAD_GATEWAY"))
                .body("message", containsString("does not answer"));
    }

    @Test
    void theDefaultSpecIsWhatARunWithAnEmptySpecGets() {
        given().when().get("/pipelines/defaults").then().statusCode(200)
                .body("dataset.uri", containsString("titanic.csv"))
                .body("model.grid.n_estimators.size()", org.hamcrest.Matchers.greaterThan(0))
                .body("deploy.target", org.hamcrest.Matchers.notNullValue());
    }

    /** A run whose deploy stage completed with {@code servingUrl}, as deploy-svc reports it. */
    private String deployedAt(String servingUrl) {
        String runId = UUID.randomUUID().toString();
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId,
                PipelineSpec.defaults("file:/data.csv"));
        events.completed(Stage.DEPLOY, 1, Map.of(), Map.of(), Map.of("serving_url", servingUrl));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/pipelines/" + runId)
                .then().statusCode(200).body("servingUrl", equalTo(servingUrl)));
        return runId;
    }
}
