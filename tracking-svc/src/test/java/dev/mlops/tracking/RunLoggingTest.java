package dev.mlops.tracking;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.UUID;

import static dev.mlops.tracking.TestRuns.startRun;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** MLflow-style logging to a run: POST /pipelines/{runId}/log-batch and GET .../metrics/{key}. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class RunLoggingTest {

    @Test
    void logBatchRecordsMetricsParamsAndTagsAndKeepsTheHistory() {
        String runId = startRun();
        logBatch(runId, """
                {"metrics": [
                   {"key": "loss", "value": 0.9, "step": 2, "timestamp": 1000},
                   {"key": "loss", "value": 0.7, "step": 1, "timestamp": 3000},
                   {"key": "loss", "value": 0.5, "step": 2, "timestamp": 2000},
                   {"key": "cv/accuracy", "value": 0.8}],
                 "params": [{"key": "optimizer", "value": "adam"}],
                 "tags": [{"key": "team", "value": "ml"}]}
                """).then().statusCode(200);

        given().when().get("/pipelines/" + runId + "/metrics/loss")
                .then().statusCode(200)
                .body("", hasSize(3))
                .body("step", equalTo(List.of(1, 2, 2)))
                .body("timestamp", equalTo(List.of(3000, 1000, 2000)))
                .body("value", equalTo(List.of(0.7f, 0.9f, 0.5f)));
        given().when().get("/pipelines/" + runId + "/metrics/cv/accuracy")
                .then().statusCode(200)
                .body("[0].step", equalTo(0))
                .body("[0].timestamp", notNullValue());
        given().when().get("/pipelines/" + runId)
                .then().statusCode(200)
                .body("metrics.loss", equalTo(0.5f))
                .body("metrics.'cv/accuracy'", equalTo(0.8f))
                .body("params.optimizer", equalTo("adam"))
                .body("tags.team", equalTo("ml"));
    }

    @Test
    void loggingThePointAgainOverwritesItButAParamKeepsItsFirstValue() {
        String runId = startRun();
        logBatch(runId, "{\"metrics\": [{\"key\": \"auc\", \"value\": 0.6, \"step\": 1, \"timestamp\": 5}]}");
        logBatch(runId, "{\"metrics\": [{\"key\": \"auc\", \"value\": 0.7, \"step\": 1, \"timestamp\": 5}],"
                + " \"params\": [{\"key\": \"p\", \"value\": \"1\"}]}").then().statusCode(200);
        // the same value again is fine; another value for a logged param is refused (params are immutable)
        logBatch(runId, "{\"params\": [{\"key\": \"p\", \"value\": \"1\"}]}").then().statusCode(200);
        logBatch(runId, "{\"params\": [{\"key\": \"q\", \"value\": \"new\"}, {\"key\": \"p\", \"value\": \"2\"}]}")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("params[1].value"))
                .body("message", containsString("param 'p'"));
        given().when().get("/pipelines/" + runId + "/metrics/auc")
                .then().body("", hasSize(1)).body("[0].value", equalTo(0.7f));
        given().when().get("/pipelines/" + runId).then()
                .body("params.p", equalTo("1"))
                .body("params.q", nullValue());
    }

    @Test
    void aLaterBatchWithAnOlderStepDoesNotChangeTheLatestValue() {
        String runId = startRun();
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": 0.3, \"step\": 4, \"timestamp\": 10}]}");
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": 0.9, \"step\": 2, \"timestamp\": 99}]}")
                .then().statusCode(200);
        given().when().get("/pipelines/" + runId).then().body("metrics.loss", equalTo(0.3f));
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": 0.1, \"step\": 4, \"timestamp\": 11}]}");
        given().when().get("/pipelines/" + runId).then().body("metrics.loss", equalTo(0.1f));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            metric without value       | {"metrics": [{"key": "loss"}]}                      | metrics[0].value
            metric without key         | {"metrics": [{"value": 1.0}]}                        | metrics[0].key
            metric value as text       | {"metrics": [{"key": "loss", "value": "low"}]}      | metrics[0].value
            unknown field in a metric  | {"metrics": [{"key": "loss", "value": 1, "unit": "s"}]} | metrics[0].unit
            param key with a newline   | {"params": [{"key": "a\\nb", "value": "x"}]}       | params[0].key
            tag without value          | {"tags": [{"key": "team"}]}                          | tags[0].value
            unknown top-level field    | {"metric": []}                                       | metric
            """)
    void badBatchAnswers400NamingTheField(String what, String body, String field) {
        String runId = startRun();
        logBatch(runId, body).then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo(field))
                .body("message", containsString(field));
        logBatch(runId, "{\"tags\": [{\"key\": \"still\", \"value\": \"serving\"}]}").then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NaN as a string          | "NaN"
            Infinity as a string     | "Infinity"
            -Infinity as a string    | "-Infinity"
            NaN as a bare token      | NaN
            a number past a double   | 1e999
            a negative one           | -1e999
            """)
    void nonFiniteMetricValuesAnswer400(String what, String value) {
        String runId = startRun();
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": " + value + "}]}").then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": 0.25}]}").then().statusCode(200);
        given().when().get("/pipelines/" + runId + "/metrics/loss").then().statusCode(200)
                .body("value", equalTo(List.of(0.25f)));
    }

    @Test
    void unknownRunOrMetricAnswers404() {
        String unknown = UUID.randomUUID().toString();
        logBatch(unknown, "{\"tags\": [{\"key\": \"a\", \"value\": \"b\"}]}").then().statusCode(404)
                .body("message", containsString(unknown));
        given().when().get("/pipelines/" + unknown + "/metrics/loss").then().statusCode(404)
                .body("message", containsString(unknown));

        String runId = startRun();
        logBatch(runId, "{\"metrics\": [{\"key\": \"loss\", \"value\": 1}]}").then().statusCode(200);
        given().when().get("/pipelines/" + runId + "/metrics/accuracy").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString("no metric 'accuracy'"))
                .body("message", containsString("loss"));
    }

    private static io.restassured.response.Response logBatch(String runId, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/pipelines/" + runId + "/log-batch");
    }
}
