package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.Page;
import org.mlflow.tracking.RunsPage;

import java.net.URL;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** runs/search with MLflow's filter language, order_by and paging, through the official MLflow Java client. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowRunSearchTest {

    @TestHTTPResource("/")
    URL root;

    private MlflowClient client;
    private String experimentId;

    @BeforeEach
    void threeRuns() {
        client = MlflowClients.client(root);
        experimentId = client.createExperiment("search-" + UUID.randomUUID());
        run("low", "rf", "fraud", 0.6);
        run("mid", "gbm", "risk", 0.75);
        String high = run("high", "rf", "risk", 0.5);
        client.logMetric(high, "accuracy", 0.9, System.currentTimeMillis(), 1); // the latest point counts
        client.setTerminated(high, RunStatus.FINISHED);
    }

    @Test
    void filtersOnMetricsParamsTagsAndAttributes() {
        assertThat(names("metrics.accuracy > 0.7")).containsExactlyInAnyOrder("mid", "high");
        assertThat(names("metrics.accuracy > 0.7 AND params.model = 'rf'")).containsExactly("high");
        assertThat(names("metrics.accuracy <= 0.6")).containsExactly("low");
        assertThat(names("params.model != 'rf'")).containsExactly("mid");
        assertThat(names("params.model IN ('rf', 'xgb')")).containsExactlyInAnyOrder("low", "high");
        assertThat(names("tags.team LIKE 'fr%'")).containsExactly("low");
        assertThat(names("tags.`team` ILIKE 'RISK'")).containsExactlyInAnyOrder("mid", "high");
        assertThat(names("attributes.status = 'FINISHED'")).containsExactly("high");
        assertThat(names("status = 'RUNNING' and run_name = 'low'")).containsExactly("low");
        assertThat(names("attributes.start_time > 0 AND metrics.missing > 1")).isEmpty();
    }

    @Test
    void ordersAndPagesWithoutATokenOnTheLastPage() {
        RunsPage first = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 2,
                List.of("metrics.accuracy DESC"));
        assertThat(names(first)).containsExactly("high", "mid");
        assertThat(first.hasNextPage()).isTrue();
        Page<Run> second = first.getNextPage();
        assertThat(names(second)).containsExactly("low");
        assertThat(second.hasNextPage()).isFalse();
        assertThat(names(client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 10,
                List.of("params.model ASC", "attributes.run_name DESC")))).containsExactly("mid", "low", "high");
    }

    @Test
    void aPageTokenOfAnotherSearchIsRefused() {
        String token = client.searchRuns(List.of(experimentId), "", ViewType.ACTIVE_ONLY, 1, List.of())
                .getNextPageToken().orElseThrow();
        String otherExperiment = client.createExperiment("other-" + UUID.randomUUID());
        // the token of experiment A's search given to a search of experiment B, and a token that is not one
        for (String body : List.of(
                "{\"experiment_ids\": [\"" + otherExperiment + "\"], \"max_results\": 1, \"page_token\": \"" + token + "\"}",
                "{\"experiment_ids\": [\"" + experimentId + "\"], \"page_token\": \"eyJvZmZzZXQiOiAxfQ==\"}")) {
            given().contentType(ContentType.JSON).body(body)
                    .when().post("/api/2.0/mlflow/runs/search")
                    .then().statusCode(400)
                    .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", containsString("page token"));
        }
        // the same search goes on with it
        given().contentType(ContentType.JSON)
                .body("{\"experiment_ids\": [\"" + experimentId + "\"], \"max_results\": 1, \"page_token\": \"" + token + "\"}")
                .when().post("/api/2.0/mlflow/runs/search")
                .then().statusCode(200).body("runs.size()", equalTo(1));
    }

    @Test
    void deletedRunsAreSearchedOnlyWhenAskedFor() {
        String low = client.searchRuns(List.of(experimentId), "run_name = 'low'").get(0).getRunId();
        client.deleteRun(low);
        assertThat(names("")).containsExactlyInAnyOrder("mid", "high");
        assertThat(names(client.searchRuns(List.of(experimentId), "", ViewType.DELETED_ONLY, 10, List.of())))
                .containsExactly("low");
    }

    @Test
    void badFiltersAnswer400NamingThePosition() {
        // a comparison without a value: the value expected at position 18
        search("metrics.accuracy >").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("position 18"));
        // OR, which MLflow does not take, at position 23
        search("metrics.accuracy > 0.7 OR params.model = 'rf'").then().statusCode(400)
                .body("message", containsString("position 23"));
        // LIKE on a metric, a number for a param, an unknown attribute, an unknown entity type
        search("metrics.accuracy LIKE '0.%'").then().statusCode(400).body("message", containsString("LIKE"));
        search("params.model = 1").then().statusCode(400).body("message", containsString("quoted string"));
        search("attributes.colour = 'red'").then().statusCode(400).body("message", containsString("colour"));
        search("things.x = 'y'").then().statusCode(400).body("message", containsString("things"));
        // an order_by clause with something after its identifier that is not ASC or DESC, an unknown attribute
        given().contentType(ContentType.JSON)
                .body("{\"experiment_ids\": [\"" + experimentId + "\"], \"order_by\": [\"metrics.accuracy sideways\"]}")
                .when().post("/api/2.0/mlflow/runs/search")
                .then().statusCode(400).body("field", equalTo("order_by"))
                .body("message", containsString("order_by at position 17"));
        given().contentType(ContentType.JSON)
                .body("{\"experiment_ids\": [\"" + experimentId + "\"], \"order_by\": [\"colour DESC\"]}")
                .when().post("/api/2.0/mlflow/runs/search")
                .then().statusCode(400).body("field", equalTo("order_by")).body("message", containsString("colour"));
        // no experiment to search in
        given().contentType(ContentType.JSON).body("{\"filter\": \"\"}")
                .when().post("/api/2.0/mlflow/runs/search")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    @Test
    void aPipelineRunIsAnMlflowRunOfItsPipelinesExperiment() {
        String runId = given().contentType(ContentType.JSON).body("{\"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines")
                .then().statusCode(202).extract().path("runId");
        String titanic = client.getExperimentByName("titanic").orElseThrow().getExperimentId();
        Run run = client.getRun(runId);
        assertThat(run.getInfo().getExperimentId()).isEqualTo(titanic);
        assertThat(run.getData().getTagsList()).anyMatch(t -> t.getKey().equals("mlops.spec.name")
                && t.getValue().equals("titanic"));
        assertThat(client.searchRuns(List.of(titanic), "tags.\"mlops.spec.name\" = 'titanic'"))
                .anyMatch(info -> info.getRunId().equals(runId));
    }

    private String run(String name, String model, String team, double accuracy) {
        String runId = given().contentType(ContentType.JSON)
                .body("{\"experiment_id\": \"" + experimentId + "\", \"run_name\": \"" + name + "\"}")
                .when().post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).extract().path("run.info.run_id");
        client.logParam(runId, "model", model);
        client.setTag(runId, "team", team);
        client.logMetric(runId, "accuracy", accuracy, System.currentTimeMillis(), 0);
        return runId;
    }

    private List<String> names(String filter) {
        return names(client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 1000, List.of()));
    }

    private static List<String> names(Page<Run> page) {
        return StreamSupport.stream(page.getItems().spliterator(), false).map(r -> r.getInfo().getRunName()).toList();
    }

    private io.restassured.response.Response search(String filter) {
        return given().contentType(ContentType.JSON)
                .body("{\"experiment_ids\": [\"" + experimentId + "\"], \"filter\": \"" + filter.replace("\"", "\\\"") + "\"}")
                .when().post("/api/2.0/mlflow/runs/search");
    }
}
