package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

/** MLflow's runs/log-inputs and runs/get's inputs.dataset_inputs (the Java client has no call for them). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowRunInputsTest {

    private static final String DATASET = "{\"name\": \"titanic\", \"digest\": \"d41d8cd9\", \"source_type\": \"local\","
            + " \"source\": \"{\\\"uri\\\": \\\"data/titanic.csv\\\"}\", \"schema\": \"{}\", \"profile\": \"{\\\"rows\\\": 891}\"}";

    @TestHTTPResource("/")
    URL root;

    @Test
    void datasetsLoggedAsInputsAreReadBackOnceWithTheirTags() {
        String runId = newRun();
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.inputs", anEmptyMap());
        String body = "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"tags\": [{\"key\": \"mlflow.data.context\","
                + " \"value\": \"training\"}], \"dataset\": " + DATASET + "}]}";
        logInputs(body).statusCode(200).body(equalTo("{}"));
        // the same dataset again: still one input, with its first tags (MLflow deduplicates by name and digest)
        logInputs(body.replace("training", "eval")).statusCode(200);
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get").then().statusCode(200)
                .body("run.inputs.dataset_inputs", hasSize(1))
                .body("run.inputs.dataset_inputs[0].tags.key", contains("mlflow.data.context"))
                .body("run.inputs.dataset_inputs[0].tags.value", contains("training"))
                .body("run.inputs.dataset_inputs[0].dataset.name", equalTo("titanic"))
                .body("run.inputs.dataset_inputs[0].dataset.digest", equalTo("d41d8cd9"))
                .body("run.inputs.dataset_inputs[0].dataset.source_type", equalTo("local"))
                .body("run.inputs.dataset_inputs[0].dataset.source", equalTo("{\"uri\": \"data/titanic.csv\"}"))
                .body("run.inputs.dataset_inputs[0].dataset.profile", equalTo("{\"rows\": 891}"));
        // another digest is another dataset; run_uuid and /ajax-api work
        logInputs("{\"run_uuid\": \"" + runId + "\", \"datasets\": [{\"dataset\": " + DATASET.replace("d41d8cd9", "ffff0000")
                + "}]}", "/ajax-api/2.0/mlflow/runs/log-inputs").statusCode(200);
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get").then()
                .body("run.inputs.dataset_inputs.dataset.digest", contains("d41d8cd9", "ffff0000"));
    }

    /** Each refused request stores nothing: the run still has no inputs. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no dataset name          | "name": "titanic",              |                              | 400 | datasets[0].dataset.name is missing
            no digest                | "digest": "d41d8cd9",           |                              | 400 | datasets[0].dataset.digest is missing
            no source                | "source": "{\\"uri\\": \\"data/titanic.csv\\"}",  |            | 400 | datasets[0].dataset.source is missing
            name of 501 characters   | "name": "titanic"               | "name": "NAME501"            | 400 | datasets[0].dataset.name is 501 characters, over MLflow's limit of 500
            digest of 37 characters  | "digest": "d41d8cd9"            | "digest": "DIGEST37"         | 400 | datasets[0].dataset.digest is 37 characters, over MLflow's limit of 36
            """)
    void badDatasetsAreRefusedNamingTheFieldAndNothingIsStored(String what, String remove, String insert, int status,
                                                               String message) {
        String runId = newRun();
        String dataset = DATASET.replace(remove, insert == null ? "" : insert
                .replace("NAME501", "n".repeat(501)).replace("DIGEST37", "d".repeat(37)));
        String body = "{\"run_id\": \"" + runId + "\", \"datasets\": [{\"dataset\": " + dataset + "}]}";
        logInputs(body).statusCode(status).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString(message));
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.inputs", anEmptyMap());
    }

    @Test
    void inputTagsUnknownAndDeletedRunsAreRefused() {
        String runId = newRun();
        logInputs("{\"run_id\": \"" + runId + "\", \"datasets\": [{\"tags\": [{\"key\": \"k\", \"value\": \""
                + "v".repeat(501) + "\"}], \"dataset\": " + DATASET + "}]}").statusCode(400)
                .body("message", containsString("over MLflow's limit of 500"));
        logInputs("{\"run_id\": \"" + runId + "\", \"datasets\": [{\"tags\": [{\"value\": \"v\"}], \"dataset\": "
                + DATASET + "}]}").statusCode(400).body("message", containsString("datasets[0].tags.key is missing"));
        logInputs("{\"run_id\": \"0123456789abcdef0123456789abcdef\", \"datasets\": [{\"dataset\": " + DATASET + "}]}")
                .statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        logInputs("{\"datasets\": []}").statusCode(400).body("message", containsString("run_id"));
        MlflowClients.client(root).deleteRun(runId);
        logInputs("{\"run_id\": \"" + runId + "\", \"datasets\": [{\"dataset\": " + DATASET + "}]}")
                .statusCode(400).body("message", containsString("'active' state"));
        given().queryParam("run_id", runId).when().get("/api/2.0/mlflow/runs/get")
                .then().statusCode(200).body("run.inputs", anEmptyMap());
    }

    private String newRun() {
        MlflowClient client = MlflowClients.client(root);
        return client.createRun(client.createExperiment("inputs-" + UUID.randomUUID())).getRunId();
    }

    private static ValidatableResponse logInputs(String body) {
        return logInputs(body, "/api/2.0/mlflow/runs/log-inputs");
    }

    private static ValidatableResponse logInputs(String body, String path) {
        return given().contentType(ContentType.JSON).body(body).when().post(path).then();
    }
}
