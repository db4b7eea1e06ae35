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
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlflow.api.proto.Service.RunInfo;
import org.mlflow.tracking.MlflowClient;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** MLflow's artifact proxy (/api/2.0/mlflow-artifacts/artifacts/...), over the artifact bucket the pipeline writes. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowArtifactProxyTest {

    private static final String PROXY = "/api/2.0/mlflow-artifacts/artifacts/";
    private static final long LIMIT = 40L * 1024 * 1024; // %test.mlops.mlflow.max-artifact-bytes

    @TestHTTPResource("/")
    URL root;

    /** The artifact bucket, as a pipeline stage writes to it (service-runtime's producer). */
    @Inject
    ArtifactStore store;

    @Test
    void uploadsAreDownloadedListedAndDeletedWhereThePipelineKeepsTheRunsArtifacts() {
        RunInfo run = newRun("proxy");
        String base = PROXY + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/";
        byte[] json = "{\"max_depth\": 10}".getBytes(StandardCharsets.UTF_8);
        given().body(json).when().put(base + "model/params.json").then().statusCode(200).body(equalTo("{}"));
        given().body(new byte[]{0, 1, 2}).when().put(base + "data.bin").then().statusCode(200);

        // stored at s3://<bucket>/runs/<runId>/<path>, where a pipeline stage puts a run's artifacts
        assertThat(store.read(URI.create("s3://mlops-artifacts/runs/" + run.getRunId() + "/model/params.json")))
                .isEqualTo(json);
        // and what a stage writes there is one of the run's MLflow artifacts
        store.put(run.getRunId(), "reports/evaluation.txt", "accuracy 0.81".getBytes(StandardCharsets.UTF_8), "text/plain");

        // content type by extension, as MLflow serves it: attachment, no sniffing
        given().when().get(base + "model/params.json").then().statusCode(200)
                .contentType(equalTo("text/plain"))
                .header("Content-Disposition", equalTo("attachment; filename=params.json"))
                .header("X-Content-Type-Options", equalTo("nosniff"))
                .body(equalTo("{\"max_depth\": 10}"));
        assertThat(given().when().get(base + "data.bin").then().statusCode(200)
                .contentType(equalTo("application/octet-stream")).extract().asByteArray()).containsExactly(0, 1, 2);
        given().when().get("/ajax-api/2.0/mlflow-artifacts/artifacts/" + run.getExperimentId() + "/" + run.getRunId()
                + "/artifacts/reports/evaluation.txt").then().statusCode(200).body(equalTo("accuracy 0.81"));

        // one level deep, basenames; directories without a size
        Response listing = given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts");
        listing.then().statusCode(200)
                .body("files.path", org.hamcrest.Matchers.contains("data.bin", "model", "reports"))
                .body("files.find { it.path == 'data.bin' }.file_size", equalTo(3))
                .body("files.find { it.path == 'data.bin' }.is_dir", equalTo(false))
                .body("files.find { it.path == 'model' }.is_dir", equalTo(true))
                .body("files.find { it.path == 'model' }.file_size", nullValue());
        given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts/model")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", org.hamcrest.Matchers.contains("params.json"))
                .body("files[0].file_size", equalTo(json.length));

        // an upload replaces; delete removes a file, or a directory with everything in it
        given().body("v2").when().put(base + "model/params.json").then().statusCode(200);
        given().when().get(base + "model/params.json").then().body(equalTo("v2"));
        given().when().delete(base + "data.bin").then().statusCode(200).body(equalTo("{}"));
        given().when().get(base + "data.bin").then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString("data.bin"));
        given().when().delete(base + "model").then().statusCode(200);
        given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", org.hamcrest.Matchers.contains("reports"));
        // MLflow leaves an empty listing's files out
        given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts/model")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200).body(equalTo("{}"));
    }

    @Test
    void tensOfMegabytesRoundTripByteIdenticallyWithAndWithoutContentLength() {
        RunInfo run = newRun("big");
        String base = PROXY + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/";
        byte[] sized = new byte[24 * 1024 * 1024];
        new Random(13).nextBytes(sized);
        given().contentType(ContentType.BINARY).body(sized).when().put(base + "model/bundle.bin")
                .then().statusCode(200);
        assertThat(ArtifactRequests.sha256(given().when().get(base + "model/bundle.bin").then().statusCode(200)
                .header("Content-Length", equalTo(String.valueOf(sized.length))).extract().asInputStream()))
                .isEqualTo(ArtifactRequests.sha256(new ByteArrayInputStream(sized)));

        // chunked (no Content-Length): stored in multipart parts
        long chunkedBytes = 21L * 1024 * 1024 + 7;
        assertThat(ArtifactRequests.putChunked(root, base + "streamed.bin", chunkedBytes, 42)).startsWith("HTTP/1.1 200");
        assertThat(ArtifactRequests.sha256(given().when().get(base + "streamed.bin").then().statusCode(200)
                .extract().asInputStream()))
                .isEqualTo(ArtifactRequests.sha256(ArtifactRequests.content(chunkedBytes, 42)));
    }

    @Test
    void anUploadOverTheArtifactLimitIsRefusedAndNothingIsStored() {
        RunInfo run = newRun("limit");
        String base = PROXY + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/";
        // a Content-Length over the limit: refused from the headers, before any byte of the body
        String announced = ArtifactRequests.putAnnouncing(root, base + "huge.bin", LIMIT + 1);
        assertThat(announced).startsWith("HTTP/1.1 413")
                .contains("\"error_code\":\"REQUEST_TOO_LARGE\"")
                .contains("mlops.mlflow.max-artifact-bytes").contains(String.valueOf(LIMIT));
        // a chunked body that turns out one byte too long: refused when the byte arrives, the upload aborted
        String chunked = ArtifactRequests.putChunked(root, base + "chunked.bin", LIMIT + 1, 7);
        assertThat(chunked).startsWith("HTTP/1.1 413")
                .contains("\"error_code\":\"REQUEST_TOO_LARGE\"")
                .contains("nothing was stored").contains(String.valueOf(LIMIT));
        given().when().get(base + "huge.bin").then().statusCode(404);
        given().when().get(base + "chunked.bin").then().statusCode(404);
        given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200).body(equalTo("{}"));
        // exactly the limit is fine
        assertThat(ArtifactRequests.putChunked(root, base + "at-limit.bin", LIMIT, 8)).startsWith("HTTP/1.1 200");
        given().when().get(base + "at-limit.bin").then().statusCode(200)
                .header("Content-Length", equalTo(String.valueOf(LIMIT)));
    }

    @Test
    void theJsonApiKeepsItsOneMegabyteLimit() {
        String runId = newRun("json").getRunId();
        String value = "x".repeat(1024 * 1024);
        given().contentType(ContentType.JSON).body("{\"run_id\": \"" + runId + "\", \"key\": \"k\", \"value\": \"" + value + "\"}")
                .when().post("/api/2.0/mlflow/runs/log-parameter")
                .then().statusCode(413).body("error_code", equalTo("REQUEST_TOO_LARGE"))
                .body("message", containsString("1048576 bytes"));
        // nor may a JSON request pass for an upload with a PUT
        given().contentType(ContentType.JSON).body("{\"value\": \"" + value + "\"}")
                .when().put("/api/2.0/mlflow/runs/log-parameter")
                .then().statusCode(413);
    }

    /**
     * Each bad path: 400 INVALID_PARAMETER_VALUE (MLflow's validate_path_is_safe) naming the path, or 404 for a run
     * that does not exist; nothing stored under the run or under the other run a traversal aims at.
     */
    @ParameterizedTest(name = "{0}: {1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            '..' segments into another run      | PUT    | EXP/RUN/artifacts/../../EXP/OTHER/artifacts/x.txt | 400 | Invalid path
            encoded '..' (%2e%2e)               | PUT    | EXP/RUN/artifacts/%2e%2e/%2E%2E/EXP/OTHER/artifacts/x.txt | 400 | Invalid path
            '..' with encoded slashes (%2F)     | PUT    | EXP/RUN/artifacts/..%2F..%2FOTHER%2Fx.txt | 400 | Invalid path
            double-encoded '..' (%252e%252e)    | PUT    | EXP/RUN/artifacts/%252e%252e/x.txt | 400 | Invalid path
            absolute path                       | PUT    | /etc/passwd | 400 | Invalid path
            encoded absolute path               | PUT    | %2Fetc%2Fpasswd | 400 | Invalid path
            backslashes                         | PUT    | EXP/RUN/artifacts/a%5C..%5C..%5Cx.txt | 400 | Invalid path
            empty segment                       | PUT    | EXP/RUN/artifacts/a//x.txt | 400 | Invalid path
            '.' segment                         | PUT    | EXP/RUN/artifacts/./x.txt | 400 | Invalid path
            '#' (encoded)                       | PUT    | EXP/RUN/artifacts/x%23y.txt | 400 | Invalid path
            not under the run's artifacts       | PUT    | EXP/RUN/x.txt | 400 | <experiment_id>/<run_id>/artifacts/<path>
            the artifact root itself            | PUT    | EXP/RUN/artifacts | 400 | name a file
            the run in another experiment       | PUT    | 0/RUN/artifacts/x.txt | 400 | belongs to experiment
            an experiment id that is no number  | PUT    | abc/RUN/artifacts/x.txt | 400 | <experiment_id>/<run_id>/artifacts/<path>
            an unknown run                      | PUT    | EXP/0123456789abcdef0123456789abcdef/artifacts/x.txt | 404 | no run with id
            download with '..'                  | GET    | EXP/RUN/artifacts/../../EXP/OTHER/artifacts/secret.txt | 400 | Invalid path
            delete with encoded '..'            | DELETE | EXP/RUN/artifacts/%2e%2e/%2e%2e/EXP/OTHER/artifacts/secret.txt | 400 | Invalid path
            """)
    void badPathsAreRefusedAndNothingIsStored(String what, String method, String path, int status, String message) {
        RunInfo run = newRun("paths");
        MlflowClient client = MlflowClients.client(root);
        String other = client.createRun(run.getExperimentId()).getRunId();
        String secret = PROXY + run.getExperimentId() + "/" + other + "/artifacts/secret.txt";
        given().body("keep").when().put(secret).then().statusCode(200);

        ArtifactRequests.Answer answer = ArtifactRequests.send(root, method, PROXY + path
                .replace("EXP", run.getExperimentId()).replace("OTHER", other).replace("RUN", run.getRunId()),
                method.equals("PUT") ? "evil".getBytes(StandardCharsets.UTF_8) : null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.body()).contains(status == 404 ? "\"error_code\":\"RESOURCE_DOES_NOT_EXIST\""
                : "\"error_code\":\"INVALID_PARAMETER_VALUE\"").contains(message);
        given().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200).body(equalTo("{}"));
        given().queryParam("path", run.getExperimentId() + "/" + other + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(200)
                .body("files.path", org.hamcrest.Matchers.contains("secret.txt"));
        given().when().get(secret).then().statusCode(200).body(equalTo("keep"));
    }

    @Test
    void aListingPathIsCheckedLikeAnUploadPath() {
        RunInfo run = newRun("list");
        String runRoot = run.getExperimentId() + "/" + run.getRunId() + "/artifacts";
        given().queryParam("path", runRoot + "/../../x").when().get("/api/2.0/mlflow-artifacts/artifacts")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("Invalid path"));
        given().queryParam("path", runRoot + "/%2e%2e").when().get("/api/2.0/mlflow-artifacts/artifacts")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // the listing starts at a run: above it there is nothing to list here
        given().when().get("/api/2.0/mlflow-artifacts/artifacts")
                .then().statusCode(400).body("message", containsString("<experiment_id>/<run_id>/artifacts"));
    }

    @Test
    void aDeletedRunTakesNoUploadsButIsStillRead() {
        RunInfo run = newRun("deleted");
        String base = PROXY + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/";
        given().body("before").when().put(base + "kept.txt").then().statusCode(200);
        MlflowClient client = MlflowClients.client(root);
        client.deleteRun(run.getRunId());
        given().body("after").when().put(base + "new.txt").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("must be in the 'active' state"));
        given().when().delete(base + "kept.txt").then().statusCode(400);
        given().when().get(base + "new.txt").then().statusCode(404);
        given().when().get(base + "kept.txt").then().statusCode(200).body(equalTo("before"));
        client.restoreRun(run.getRunId());
        given().body("after").when().put(base + "new.txt").then().statusCode(200);
    }

    @Test
    void theProxyNeedsTheApiToken() {
        RunInfo run = newRun("auth");
        String base = PROXY + run.getExperimentId() + "/" + run.getRunId() + "/artifacts/";
        given().auth().none().body("x").when().put(base + "x.txt").then().statusCode(401)
                .body("error_code", equalTo("UNAUTHENTICATED"));
        given().auth().oauth2("wrong").body("x").when().put(base + "x.txt").then().statusCode(401);
        given().auth().none().when().get(base + "x.txt").then().statusCode(401);
        given().auth().none().queryParam("path", run.getExperimentId() + "/" + run.getRunId() + "/artifacts")
                .when().get("/api/2.0/mlflow-artifacts/artifacts").then().statusCode(401);
        given().auth().none().when().delete(base + "x.txt").then().statusCode(401);
        given().when().get(base + "x.txt").then().statusCode(404);
        // the multipart endpoints are not served
        given().contentType(ContentType.JSON).body("{\"path\": \"x.txt\", \"num_parts\": 2}")
                .when().post("/api/2.0/mlflow-artifacts/mpu/create/" + run.getExperimentId() + "/" + run.getRunId()
                        + "/artifacts/x.txt")
                .then().statusCode(501).body("error_code", equalTo("NOT_IMPLEMENTED"));
    }

    private RunInfo newRun(String prefix) {
        MlflowClient client = MlflowClients.client(root);
        return client.createRun(client.createExperiment(prefix + "-" + UUID.randomUUID().toString().substring(0, 8)));
    }
}
