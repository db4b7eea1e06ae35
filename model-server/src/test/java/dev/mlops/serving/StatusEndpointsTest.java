package dev.mlops.serving;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.mlops.serving.ScoringRequests.json;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesRegex;

/** MLflow's /ping and /health, /version from the bundle metadata, Quarkus' /q/health, and the scoring metrics. */
@QuarkusTest
@TestProfile(FolderModelProfile.class)
class StatusEndpointsTest {

    @ConfigProperty(name = "mlops.model.uri")
    String modelUri;

    @Test
    void pingAnswers200WithAnEmptyBody() {
        when().get("/ping").then().statusCode(200).body(emptyString());
    }

    @Test
    void withoutAConfiguredTokenTheAdminApiDoesNotExist() {
        given().header("X-Mlops-Admin-Token", "").contentType("application/json").body("{\"uri\": \"file:/x\"}")
                .when().put("/admin/model/staged").then().statusCode(404);
        given().header("X-Mlops-Admin-Token", "anything").when().post("/admin/model/promote").then().statusCode(404);
    }

    @Test
    void healthAnswersUp() {
        when().get("/health").then().statusCode(200).contentType("application/json").body("status", equalTo("UP"));
    }

    @Test
    void versionNamesTheModelFromItsMetadata() {
        when().get("/version").then().statusCode(200).contentType("application/json")
                .body("name", equalTo(TestModel.NAME))
                .body("version", equalTo(TestModel.VERSION))
                .body("runId", equalTo(TestModel.RUN_ID))
                .body("modelUri", equalTo(modelUri))
                .body("classLabels", equalTo(List.of("0", "1")))
                .body("inputColumns", hasItems("Age", "Pclass", "Sex"))
                .body("featureColumns", hasItems("num__Age", "cat__Sex_male"))
                .body("trees", equalTo(25))
                .body("server", containsString("model-server"))
                .body("metadata.smile_version", equalTo("3.1.1"));
    }

    @Test
    void quarkusHealthReportsTheLoadedModel() {
        when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem("model"))
                .body("checks.find { it.name == 'model' }.data.runId", equalTo(TestModel.RUN_ID))
                .body("checks.find { it.name == 'model' }.data.compiledForest", equalTo(true));
    }

    @Test
    void metricsCountRequestsPredictionsAndErrors() {
        Map<String, Object> woman = Map.of("Pclass", 1, "Sex", "female", "Age", 30,
                "Siblings/Spouses Aboard", 0, "Parents/Children Aboard", 0, "Fare", 80.0);
        for (int i = 0; i < 3; i++) {
            given().contentType("application/json").body(json(Map.of("instances", List.of(woman))))
                    .post("/invocations").then().statusCode(200).body("predictions[0]", equalTo(1));
        }
        given().contentType("application/json").body("{\"nope\": 1}").post("/invocations").then().statusCode(400);

        String metrics = when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(value(metrics, "mlops_serving_requests_total{format=\"instances\",status=\"200\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(metrics, "mlops_serving_predictions_total{class=\"1\"}")).isGreaterThanOrEqualTo(3);
        assertThat(value(metrics, "mlops_serving_errors_total{error_code=\"BAD_REQUEST\",status=\"400\"}")).isGreaterThanOrEqualTo(1);
        assertThat(value(metrics, "mlops_serving_latency_seconds_count{outcome=\"success\"}")).isGreaterThanOrEqualTo(3);
        assertThat(metrics).containsPattern("mlops_serving_latency_seconds_bucket\\{outcome=\"success\",le=\"0\\.00[0-9]+\"} ")
                .contains("mlops_serving_model_info{name=\"titanic-rf\",run_id=\"" + TestModel.RUN_ID + "\",version=\"7\"} 1");
        when().get("/q/metrics").then().body(matchesRegex("(?s).*jvm_memory_used_bytes.*"));
    }

    /** The value of one exact series in Prometheus' text format. */
    private static double value(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no series " + series + " in /q/metrics"));
    }
}
