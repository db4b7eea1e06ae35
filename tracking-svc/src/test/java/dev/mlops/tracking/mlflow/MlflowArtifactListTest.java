package dev.mlops.tracking.mlflow;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** MLflow's artifacts/list over the same objects the artifact proxy serves and the pipeline's stages write. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowArtifactListTest {

    private static final String LIST = "/api/2.0/mlflow/artifacts/list";

    @TestHTTPResource("/")
    URL root;

    /** The artifact bucket, as a pipeline stage writes to it (service-runtime's producer). */
    @Inject
    ArtifactStore store;

    @Test
    void whatIsUploadedToTheRunsArtifactUriIsListedOneLevelDeep() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment("list-" + UUID.randomUUID())).getRunId();
        // where the Java client says the run's artifacts go, as MLflow's Python client uploads them
        String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
        assertThat(artifactUri).startsWith("mlflow-artifacts:/");
        String upload = "/api/2.0/mlflow-artifacts/artifacts/" + artifactUri.substring("mlflow-artifacts:/".length());
        given().body("0123456789").when().put(upload + "/model/bundle.bin").then().statusCode(200);
        given().body("ok").when().put(upload + "/report.txt").then().statusCode(200);

        given().queryParam("run_id", runId).when().get(LIST).then().statusCode(200)
                .body("root_uri", equalTo(artifactUri))
                .body("files.path", contains("model", "report.txt"))
                .body("files[0].is_dir", equalTo(true))
                .body("files[0].file_size", nullValue())
                .body("files[1].is_dir", equalTo(false))
                .body("files[1].file_size", equalTo(2))
                .body("next_page_token", nullValue());
        // inside a directory, paths stay relative to the run's artifact root
        given().queryParam("run_uuid", runId).queryParam("path", "model").when().get("/ajax-api/2.0/mlflow/artifacts/list")
                .then().statusCode(200)
                .body("files.path", contains("model/bundle.bin"))
                .body("files[0].file_size", equalTo(10));
        // an empty directory (or one that does not exist): no files, as MLflow answers
        given().queryParam("run_id", runId).queryParam("path", "nothing-here").queryParam("page_token", "")
                .when().get(LIST).then().statusCode(200)
                .body(equalTo("{\"root_uri\":\"" + artifactUri + "\"}"));
    }

    @Test
    void aPipelineRunsArtifactsAreItsMlflowArtifacts() {
        String runId = given().contentType(ContentType.JSON).body("{\"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines")
                .then().statusCode(202).extract().path("runId");
        // written where the train and evaluate stages write them
        store.put(runId, "model/model.bin", new byte[2048], "application/octet-stream");
        store.put(runId, "model/bundle.json", "{}".getBytes(StandardCharsets.UTF_8), "application/json");
        store.put(runId, "evaluation/report.json", "{\"accuracy\": 0.8}".getBytes(StandardCharsets.UTF_8),
                "application/json");
        MlflowClient client = MlflowClients.client(root);
        String artifactUri = client.getRun(runId).getInfo().getArtifactUri();
        given().queryParam("run_id", runId).when().get(LIST).then().statusCode(200)
                .body("root_uri", equalTo(artifactUri))
                .body("files.path", contains("evaluation", "model"))
                .body("files.is_dir", contains(true, true));
        given().queryParam("run_id", runId).queryParam("path", "model").when().get(LIST).then().statusCode(200)
                .body("files.path", contains("model/bundle.json", "model/model.bin"))
                .body("files.file_size", contains(2, 2048));
        // and the proxy serves them under the run's artifact URI
        given().when().get("/api/2.0/mlflow-artifacts/artifacts/" + artifactUri.substring("mlflow-artifacts:/".length())
                + "/evaluation/report.json").then().statusCode(200).body(equalTo("{\"accuracy\": 0.8}"));
    }

    @Test
    void badListRequestsAnswerMlflowErrors() {
        MlflowClient client = MlflowClients.client(root);
        String runId = client.createRun(client.createExperiment("list-bad-" + UUID.randomUUID())).getRunId();
        // no run: 400 naming run_id; unknown run: 404
        given().when().get(LIST).then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("message", containsString("run_id"));
        given().queryParam("run_id", "0123456789abcdef0123456789abcdef").when().get(LIST).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        // paths out of the run's artifacts: '..', encoded '..', absolute, backslash
        for (String path : new String[]{"../other", "a/%2e%2e/%2e%2e/x", "/etc", "a\\..\\b", "a//b"}) {
            given().queryParam("run_id", runId).queryParam("path", path).when().get(LIST).then()
                    .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                    .body("message", containsString("Invalid path"));
        }
        // without the token: 401
        given().auth().none().queryParam("run_id", runId).when().get(LIST).then().statusCode(401)
                .body("error_code", equalTo("UNAUTHENTICATED"));
    }
}
