package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static dev.mlops.testing.PrometheusText.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

/** Health, Prometheus metrics and the OpenAPI document, as an operator and a client see them. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ObservabilityTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void healthChecksTheDatabaseAndMessaging() {
        given().when().get("/q/health")
                .then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("Database connections health check", "SmallRye Reactive Messaging - readiness check"));
    }

    @Test
    void metricsCountRunsByStatus() {
        given().contentType(ContentType.JSON).body("{}").when().post("/pipelines").then().statusCode(202);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("mlops_runs{status=\"RUNNING\"}")
                .contains("mlops_runs{status=\"SUCCEEDED\"}")
                .contains("mlops_runs{status=\"FAILED\"}");
        given().when().get("/q/metrics").then()
                .body(matchesPattern("(?s).*mlops_runs\\{status=\"RUNNING\"} [1-9][0-9]*\\.0.*"));
    }

    @Test
    void metricsCountEventsPerTopicAndTheApiLatency() {
        given().contentType(ContentType.JSON).body("{}").when().post("/pipelines").then().statusCode(202);
        String metrics = metrics();
        assertThat(sample(metrics, "mlops_events_produced_total{topic=\"mlops.pipeline.requested\"}")).isPositive();
        assertThat(metrics).contains("http_server_requests_seconds_bucket{")
                .contains("uri=\"/pipelines\"");
    }

    @Test
    void metricsShowConsumerLagAndTheLastRunsAccuracy() {
        String runId = UUID.randomUUID().toString();
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId, PipelineSpec.defaults("file:/data.csv"));
        events.started(Stage.EVALUATE, 1);
        events.completed(Stage.EVALUATE, 1, Map.of(), Map.of("accuracy", 0.8125), Map.of());

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            String metrics = metrics();
            assertThat(sample(metrics, "mlops_events_consumed_total{topic=\"mlops.evaluate.completed\"}")).isPositive();
            assertThat(sample(metrics, "mlops_last_run_accuracy")).isEqualTo(0.8125);
            assertThat(sample(metrics,
                    "mlops_consumer_lag{group=\"tracking-svc.mlops.stage-completed\",topic=\"mlops.evaluate.completed\"}"))
                    .isZero();
        });
    }

    @Test
    void openApiDocumentsTheEndpoints() {
        given().when().get("/q/openapi?format=json")
                .then().statusCode(200)
                .body("paths.keySet()", hasItems("/pipelines", "/pipelines/{runId}", "/pipelines/{runId}/log-batch",
                        "/pipelines/{runId}/retry",
                        "/models", "/models/{name}/versions", "/models/{name}/aliases/{alias}"));
    }

    /** A StageRunner here would emit on mlops.stage.status, which SmallRye would wire in memory to the consumer. */
    @Test
    void stageRuntimeIsNotOnTheClassPathSoStatusEventsComeFromKafka() {
        assertThatThrownBy(() -> Class.forName("dev.mlops.runtime.stage.StageRunner"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void unknownEndpointAnswers404Json() {
        given().when().get("/pipeline").then().statusCode(404)
                .body("error_code", equalTo("ENDPOINT_NOT_FOUND"))
                .body("message", containsString("/q/openapi"));
    }

    @Test
    void randomPathsShareOneUriLabelAndRealEndpointsAreStillRecorded() {
        String marker = UUID.randomUUID().toString().substring(0, 8);
        // 150 unauthenticated GETs to random paths (401), and some with the token (404)
        for (int i = 0; i < 150; i++) {
            given().auth().none().when().get("/probe-" + marker + "/" + i).then().statusCode(401);
        }
        for (int i = 0; i < 10; i++) {
            given().when().get("/probe-" + marker + "/" + i).then().statusCode(404);
        }
        String runId = given().contentType(ContentType.JSON).body("{}").when().post("/pipelines").then()
                .statusCode(202).extract().path("runId");
        given().when().get("/pipelines/" + runId).then().statusCode(200);

        String metrics = metrics();
        Set<String> uris = Pattern.compile("http_server_requests_seconds_count\\{[^}]*uri=\"([^\"]*)\"")
                .matcher(metrics).results().map(m -> m.group(1)).collect(Collectors.toCollection(TreeSet::new));
        assertThat(uris).noneMatch(uri -> uri.contains(marker))
                .contains("UNKNOWN", "NOT_FOUND", "/pipelines/{runId}")
                .allMatch(uri -> Stream.of("/pipelines", "/models", "/datasets", "/schedules", "/ui/").anyMatch(uri::startsWith)
                        || List.of("UNKNOWN", "NOT_FOUND", "REDIRECTION", "root").contains(uri));
        assertThat(sample(metrics, "http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\","
                + "status=\"401\",uri=\"UNKNOWN\"}")).isGreaterThanOrEqualTo(150);
    }

    private static String metrics() {
        return given().when().get("/q/metrics").then().statusCode(200).extract().asString();
    }

}
