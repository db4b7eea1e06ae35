package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Param;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.api.proto.Service.RunStatus;
import org.mlflow.api.proto.Service.RunTag;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.mlops.tracking.mlflow.MlflowClients.refused;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

/** MLflow's runs API, driven by the official MLflow Java client (REST Assured where it has no call). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowRunsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aRunLogsParamsMetricsAndTagsThatReadBack() {
        MlflowClient client = MlflowClients.client(root);
        String experimentId = client.createExperiment(unique("runs"));
        RunInfo created = client.createRun(experimentId);
        String runId = created.getRunId();
        assertThat(created.getStatus()).isEqualTo(RunStatus.RUNNING);
        assertThat(created.getExperimentId()).isEqualTo(experimentId);
        assertThat(created.getArtifactUri()).isEqualTo("mlflow-artifacts:/" + experimentId + "/" + runId + "/artifacts");
        assertThat(created.getRunName()).isNotEmpty();

        client.logParam(runId, "max_depth", "10");
        client.logMetric(runId, "loss", 0.9, 1000, 1);
        client.logMetric(runId, "loss", 0.5, 2000, 2);
        client.logMetric(runId, "loss", 0.7, 3000, 1);
        client.setTag(runId, "team", "fraud");
        client.setTag(runId, "team", "risk"); // tags: last write wins
        client.logBatch(runId,
                List.of(Metric.newBuilder().setKey("accuracy").setValue(0.81).setTimestamp(4000).setStep(0).build()),
                List.of(Param.newBuilder().setKey("n_estimators").setValue("200").build()),
                List.of(RunTag.newBuilder().setKey("stage").setValue("train").build()));

        Run run = client.getRun(runId);
        assertThat(run.getData().getParamsList()).extracting(Param::getKey, Param::getValue)
                .containsExactlyInAnyOrder(tuple("max_depth", "10"), tuple("n_estimators", "200"));
        // the latest point of each metric: the highest step
        assertThat(run.getData().getMetricsList()).extracting(Metric::getKey, Metric::getValue, Metric::getStep)
                .containsExactlyInAnyOrder(tuple("loss", 0.5, 2L), tuple("accuracy", 0.81, 0L));
        assertThat(tags(run)).containsEntry("team", "risk").containsEntry("stage", "train")
                .containsEntry("mlflow.runName", created.getRunName());
        // metrics are append-only: every point comes back, by step then timestamp
        assertThat(client.getMetricHistory(runId, "loss")).extracting(Metric::getValue, Metric::getStep, Metric::getTimestamp)
                .containsExactly(tuple(0.9, 1L, 1000L), tuple(0.7, 1L, 3000L), tuple(0.5, 2L, 2000L));
        assertThat(client.getMetricHistory(runId, "never-logged")).isEmpty();

        client.deleteTag(runId, "stage");
        assertThat(tags(client.getRun(runId))).doesNotContainKey("stage");

        client.setTerminated(runId, RunStatus.FINISHED, 9000);
        RunInfo finished = client.getRun(runId).getInfo();
        assertThat(finished.getStatus()).isEqualTo(RunStatus.FINISHED);
        assertThat(finished.getEndTime()).isEqualTo(9000);
    }

    @Test
    void aDeletedRunIsReadButTakesNoLoggingUntilRestored() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment(unique("deleted"))).getRunId();
        client.deleteRun(runId);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("deleted");
        // logging a metric to the deleted run
        refused(() -> client.logMetric(runId, "m", 1.0), 400, "INVALID_PARAMETER_VALUE");
        client.restoreRun(runId);
        client.logMetric(runId, "m", 1.0);
        assertThat(client.getRun(runId).getInfo().getLifecycleStage()).isEqualTo("active");
        assertThat(client.getMetricHistory(runId, "m")).hasSize(1);
    }

    @Test
    void badRunRequestsAnswerMlflowErrorCodes() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment(unique("bad"))).getRunId();
        client.logParam(runId, "lr", "0.1");
        client.logParam(runId, "lr", "0.1"); // the same value again is fine
        // changing a logged param
        refused(() -> client.logParam(runId, "lr", "0.2"), 400, "INVALID_PARAMETER_VALUE");
        assertThat(client.getRun(runId).getData().getParamsList()).extracting(Param::getValue).containsExactly("0.1");
        // an unknown run, an unknown experiment to create a run in, a tag the run does not have
        refused(() -> client.getRun("0123456789abcdef0123456789abcdef"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.logMetric("0123456789abcdef0123456789abcdef", "m", 1), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.createRun("987654321"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.deleteTag(runId, "missing"), 404, "RESOURCE_DOES_NOT_EXIST");
        // a key over MLflow's 250 characters, a key with characters MLflow refuses, a metric that is not a number
        refused(() -> client.logMetric(runId, "k".repeat(251), 1), 400, "INVALID_PARAMETER_VALUE");
        refused(() -> client.setTag(runId, "bad*key", "v"), 400, "INVALID_PARAMETER_VALUE");
        // keys that are not plain paths: a '..' part, a leading slash, an empty part
        refused(() -> client.logParam(runId, "a/../b", "v"), 400, "INVALID_PARAMETER_VALUE");
        refused(() -> client.logMetric(runId, "/abs", 1), 400, "INVALID_PARAMETER_VALUE");
        refused(() -> client.setTag(runId, "a//b", "v"), 400, "INVALID_PARAMETER_VALUE");
        logBatch("{\"run_id\": \"" + runId + "\", \"metrics\": [{\"key\": \"m\", \"value\": \"abc\", \"timestamp\": 1}]}")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // an unknown run status
        given().contentType(ContentType.JSON).body("{\"run_id\": \"" + runId + "\", \"status\": \"PAUSED\"}")
                .when().post("/api/2.0/mlflow/runs/update")
                .then().statusCode(400).body("message", containsString("PAUSED"));
    }

    @Test
    void logBatchKeepsMlflowsLimits() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment(unique("limits"))).getRunId();
        // 101 params (MLflow: at most 100), 101 tags (at most 100), 1001 metrics (at most 1000)
        logBatch("{\"run_id\": \"" + runId + "\", \"params\": " + entries(101, "p", "\"v\"") + "}")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("at most 100 params"));
        logBatch("{\"run_id\": \"" + runId + "\", \"tags\": " + entries(101, "t", "\"v\"") + "}")
                .then().statusCode(400).body("message", containsString("at most 100 tags"));
        logBatch("{\"run_id\": \"" + runId + "\", \"metrics\": " + entries(1001, "m", "1, \"timestamp\": 1") + "}")
                .then().statusCode(400).body("message", containsString("at most 1000 metrics"));
        // nothing of a refused batch is stored; 1000 metrics are fine
        assertThat(client.getRun(runId).getData().getParamsCount()).isZero();
        logBatch("{\"run_id\": \"" + runId + "\", \"metrics\": " + entries(1000, "m", "1, \"timestamp\": 1") + "}")
                .then().statusCode(200);
        assertThat(client.getRun(runId).getData().getMetricsCount()).isEqualTo(1000);
        // a param changed within one batch
        logBatch("{\"run_id\": \"" + runId + "\", \"params\": [{\"key\": \"a\", \"value\": \"1\"},"
                + " {\"key\": \"a\", \"value\": \"2\"}]}")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    @Test
    void theRestApiTakesMlflowsJson() {
        String experimentId = MlflowClients.client(root).createExperiment(unique("wire"));
        // int64 as strings (protobuf's JSON), a run name, unknown fields ignored, the /ajax-api prefix
        String runId = given().contentType(ContentType.JSON)
                .body("{\"experiment_id\": \"" + experimentId + "\", \"start_time\": \"1700000000000\","
                        + " \"run_name\": \"my-run\", \"user_id\": \"ana\", \"someday\": true}")
                .when().post("/ajax-api/2.0/mlflow/runs/create")
                .then().statusCode(200)
                .body("run.info.run_name", equalTo("my-run"))
                .body("run.info.start_time", equalTo(1700000000000L))
                .body("run.info.user_id", equalTo("ana"))
                .body("run.info.status", equalTo("RUNNING"))
                .extract().path("run.info.run_id");
        // run_uuid as older clients send it, numbers as strings
        given().contentType(ContentType.JSON)
                .body("{\"run_uuid\": \"" + runId + "\", \"key\": \"loss\", \"value\": \"0.25\", \"timestamp\": \"5\","
                        + " \"step\": \"3\"}")
                .when().post("/api/2.0/mlflow/runs/log-metric")
                .then().statusCode(200);
        given().queryParam("run_uuid", runId).queryParam("metric_key", "loss")
                .when().get("/api/2.0/mlflow/metrics/get-history")
                .then().statusCode(200)
                .body("metrics", hasSize(1))
                .body("metrics[0].step", equalTo(3))
                .body("metrics[0].timestamp", equalTo(5))
                .body("next_page_token", nullValue());
        // pages of the history when max_results asks for them, the last without a token
        given().contentType(ContentType.JSON)
                .body("{\"run_id\": \"" + runId + "\", \"metrics\": [{\"key\": \"loss\", \"value\": 0.2, \"timestamp\": 6,"
                        + " \"step\": 4}, {\"key\": \"loss\", \"value\": 0.1, \"timestamp\": 7, \"step\": 5}]}")
                .when().post("/api/2.0/mlflow/runs/log-batch").then().statusCode(200);
        String token = given().queryParam("run_id", runId).queryParam("metric_key", "loss").queryParam("max_results", 2)
                .when().get("/api/2.0/mlflow/metrics/get-history")
                .then().statusCode(200).body("metrics.step", equalTo(List.of(3, 4)))
                .extract().path("next_page_token");
        given().queryParam("run_id", runId).queryParam("metric_key", "loss").queryParam("max_results", 2)
                .queryParam("page_token", token)
                .when().get("/api/2.0/mlflow/metrics/get-history")
                .then().statusCode(200).body("metrics.step", equalTo(List.of(5)))
                .body("next_page_token", nullValue());
        // renaming and ending through runs/update answers the run's info
        given().contentType(ContentType.JSON)
                .body("{\"run_id\": \"" + runId + "\", \"status\": \"KILLED\", \"run_name\": \"renamed\"}")
                .when().post("/api/2.0/mlflow/runs/update")
                .then().statusCode(200)
                .body("run_info.run_name", equalTo("renamed"))
                .body("run_info.status", equalTo("KILLED"));
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.data.tags.find { it.key == 'mlflow.runName' }.value", equalTo("renamed"));
        // a run without an experiment goes to the Default experiment "0"
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/2.0/mlflow/runs/create")
                .then().statusCode(200).body("run.info.experiment_id", equalTo("0"));
    }

    @Test
    void whatIsNotImplementedAnswers501AndUnknownQueryParametersAreIgnored() {
        // logged models, log-model and the artifact proxy's multipart uploads are MLflow endpoints not served
        given().contentType(ContentType.JSON).body("{\"name\": \"m\"}")
                .when().post("/api/2.0/mlflow/logged-models/create")
                .then().statusCode(501).body("error_code", equalTo("NOT_IMPLEMENTED"));
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/ajax-api/2.0/mlflow/runs/log-model")
                .then().statusCode(501).body("error_code", equalTo("NOT_IMPLEMENTED"));
        given().contentType(ContentType.JSON).body("{\"path\": \"x\", \"num_parts\": 2}")
                .when().post("/api/2.0/mlflow-artifacts/mpu/create/1/r/artifacts/x")
                .then().statusCode(501).body("error_code", equalTo("NOT_IMPLEMENTED"));
        // the message sends the user to the list of what is missing
        given().queryParam("experiment_ids", "0").when().get("/api/2.0/mlflow/traces")
                .then().statusCode(501).body("error_code", equalTo("NOT_IMPLEMENTED"))
                .body("message", containsString("MLFLOW-API-PROGRESS.md"));
        // a path MLflow does not have at all stays 404
        given().contentType(ContentType.JSON).body("{}")
                .when().post("/api/2.0/mlflow/runs/fly")
                .then().statusCode(404).body("error_code", equalTo("ENDPOINT_NOT_FOUND"));
        // a query parameter a newer client might add is ignored, not refused
        String runId = MlflowClients.client(root).createRun().getRunId();
        given().queryParam("run_id", runId).queryParam("include_future_things", "true")
                .when().get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.info.run_id", equalTo(runId));
        // a run created here is no pipeline run: the pipeline API says so instead of failing
        given().when().get("/pipelines/" + runId)
                .then().statusCode(409).body("message", containsString("MLflow API"));
    }

    @Test
    void runsCreatedThroughMlflowStayOutOfThePipelineListAndGauges() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment(unique("apart"))).getRunId();
        // an "accuracy" newer than any pipeline run's: mlops_last_run_accuracy is the pipelines' evaluate result
        client.logMetric(runId, "accuracy", 0.0123, System.currentTimeMillis() + 86_400_000L, 0);
        given().queryParam("size", 100).when().get("/pipelines")
                .then().statusCode(200).body("runs.runId", not(hasItem(runId)));
        await().during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10)).until(() -> !given().auth().none()
                .when().get("/q/metrics").then().extract().asString().contains("mlops_last_run_accuracy 0.0123"));
    }

    private static io.restassured.response.Response logBatch(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/2.0/mlflow/runs/log-batch");
    }

    /** A JSON list of {@code count} entries with keys prefix0, prefix1 ... and the given value JSON. */
    private static String entries(int count, String prefix, String valueJson) {
        return IntStream.range(0, count).mapToObj(i -> "{\"key\": \"" + prefix + i + "\", \"value\": " + valueJson + "}")
                .collect(Collectors.joining(", ", "[", "]"));
    }

    private static Map<String, String> tags(Run run) {
        return run.getData().getTagsList().stream().collect(Collectors.toMap(RunTag::getKey, RunTag::getValue));
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
