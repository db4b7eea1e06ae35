package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.ModelVersionStatus;
import org.mlflow.api.proto.ModelRegistry.ModelVersionTag;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.ModelVersionsPage;
import org.mlflow.tracking.Page;

import java.net.URL;
import java.util.List;
import java.util.stream.StreamSupport;

import static dev.mlops.tracking.mlflow.MlflowClients.refused;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.createModel;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.createVersion;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.delete;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.patch;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.post;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** MLflow's model-versions API and aliases: reads through the official Java client, writes with REST Assured. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowModelVersionsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aVersionIsCreatedReadyTaggedDescribedAndDeleted() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("fraud");
        createModel(name);
        String runId = client.createRun().getRunId();
        String source = "runs:/" + runId + "/model";
        post("model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"" + source + "\", \"run_id\": \""
                + runId + "\", \"run_link\": \"http://ci/1\", \"description\": \"first\","
                + " \"tags\": [{\"key\": \"data\", \"value\": \"v1\"}]}")
                .then().statusCode(200).body("model_version.version", equalTo("1"))
                .body("model_version.status", equalTo("READY"));
        assertThat(createVersion(name, "s3://elsewhere/fraud/2")).isEqualTo("2");

        ModelVersion first = client.getModelVersion(name, "1");
        assertThat(first.getStatus()).isEqualTo(ModelVersionStatus.READY);
        assertThat(first.getSource()).isEqualTo(source);
        assertThat(first.getRunId()).isEqualTo(runId);
        assertThat(first.getRunLink()).isEqualTo("http://ci/1");
        assertThat(first.getDescription()).isEqualTo("first");
        assertThat(first.getCurrentStage()).isEqualTo("None");
        assertThat(first.getTagsList()).extracting(ModelVersionTag::getKey, ModelVersionTag::getValue)
                .containsExactly(tuple("data", "v1"));
        // a version created through MLflow downloads from the source it was given
        assertThat(client.getModelVersionDownloadUri(name, "1")).isEqualTo(source);

        post("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"1\", \"key\": \"data\","
                + " \"value\": \"v2\"}").then().statusCode(200);
        post("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"1\", \"key\": \"gone\","
                + " \"value\": \"x\"}").then().statusCode(200);
        delete("model-versions/delete-tag", "{\"name\": \"" + name + "\", \"version\": \"1\", \"key\": \"gone\"}")
                .then().statusCode(200);
        patch("model-versions/update", "{\"name\": \"" + name + "\", \"version\": \"1\", \"description\": \"second\"}")
                .then().statusCode(200).body("model_version.description", equalTo("second"));
        ModelVersion updated = client.getModelVersion(name, "1");
        assertThat(updated.getTagsList()).extracting(ModelVersionTag::getKey, ModelVersionTag::getValue)
                .containsExactly(tuple("data", "v2"));
        assertThat(updated.getLastUpdatedTimestamp()).isGreaterThanOrEqualTo(first.getLastUpdatedTimestamp());

        // deleted: gone with its alias; its number is not given again
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\": \"2\"}")
                .then().statusCode(200);
        delete("model-versions/delete", "{\"name\": \"" + name + "\", \"version\": \"2\"}").then().statusCode(200);
        refused(() -> client.getModelVersion(name, "2"), 404, "RESOURCE_DOES_NOT_EXIST");
        assertThat(client.getRegisteredModel(name).getAliasesList()).isEmpty();
        assertThat(createVersion(name, "s3://elsewhere/fraud/3")).isEqualTo("3");
    }

    @Test
    void aliasesAreSetMovedReadAndDeleted() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("alias");
        createModel(name);
        createVersion(name, "s3://elsewhere/alias/1");
        createVersion(name, "s3://elsewhere/alias/2");

        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\": \"1\"}")
                .then().statusCode(200);
        aliasGet(name, "champion").then().statusCode(200).body("model_version.version", equalTo("1"))
                .body("model_version.aliases", equalTo(List.of("champion")));
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\": 2}")
                .then().statusCode(200);
        aliasGet(name, "champion").then().statusCode(200).body("model_version.version", equalTo("2"));
        assertThat(client.getModelVersion(name, "1").getAliasesList()).isEmpty();
        assertThat(client.getModelVersion(name, "2").getAliasesList()).containsExactly("champion");

        given().queryParam("name", name).queryParam("alias", "champion")
                .when().delete(MlflowRegistryClient.API + "registered-models/alias").then().statusCode(200);
        // MLflow answers an alias the model lacks with 400 INVALID_PARAMETER_VALUE (its SqlAlchemyStore)
        aliasGet(name, "champion").then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", equalTo("Registered model alias champion not found."));

        // bad aliases: reserved names, characters MLflow refuses, a version the model lacks, no model
        for (String reserved : List.of("latest", "v3", "has space")) {
            post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"" + reserved
                    + "\", \"version\": \"1\"}").then().statusCode(400).body("field", equalTo("alias"));
        }
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"x\", \"version\": \"9\"}")
                .then().statusCode(404).body("message", containsString("version=9"));
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"x\", \"version\": \"nine\"}")
                .then().statusCode(400).body("field", equalTo("version"));
        aliasGet(uniqueName("none"), "x").then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
        assertThat(client.getRegisteredModel(name).getAliasesList()).isEmpty();
    }

    @Test
    void searchFiltersOnNameRunIdSourceAndTagsAndPages() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("vsearch");
        createModel(name);
        String runA = client.createRun().getRunId();
        String runB = client.createRun().getRunId();
        for (String runId : List.of(runA, runB, runB)) {
            post("model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"runs:/" + runId
                    + "/model\", \"run_id\": \"" + runId + "\"}").then().statusCode(200);
        }
        post("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"2\", \"key\": \"ok\","
                + " \"value\": \"yes\"}").then().statusCode(200);

        assertThat(versions(client.searchModelVersions("name = '" + name + "'")))
                .containsExactly("3", "2", "1");
        assertThat(versions(client.searchModelVersions("name = '" + name + "' AND run_id = '" + runB + "'")))
                .containsExactly("3", "2");
        assertThat(versions(client.searchModelVersions("run_id IN ('" + runA + "', '" + runB + "')")))
                .containsExactly("3", "2", "1");
        assertThat(versions(client.searchModelVersions("source_path LIKE 'runs:/" + runA + "/%'")))
                .containsExactly("1");
        assertThat(versions(client.searchModelVersions("name = '" + name + "' AND tags.ok = 'yes'")))
                .containsExactly("2");

        ModelVersionsPage first = client.searchModelVersions("name = '" + name + "'", 2,
                List.of("version_number ASC", "name ASC"));
        assertThat(versions(first)).containsExactly("1", "2");
        Page<ModelVersion> second = first.getNextPage();
        assertThat(second.getItems()).extracting(ModelVersion::getVersion).containsExactly("3");
        assertThat(second.hasNextPage()).isFalse();

        // an unknown attribute, a comparator MLflow does not take for a name
        refused(() -> client.searchModelVersions("colour = 'red'"), 400, "INVALID_PARAMETER_VALUE");
        refused(() -> client.searchModelVersions("name > 'a'"), 400, "INVALID_PARAMETER_VALUE");
    }

    @ParameterizedTest(name = "create-version refused: {0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            no source                         | source   | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME"
            a local path as source            | source   | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME", "source": "/tmp/model"
            a file URI as source              | source   | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME", "source": "file:///tmp/model"
            '..' in the source                | source   | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME", "source": "s3://b/runs/x/../y"
            encoded '..' in the source        | source   | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME", "source": "s3://b/runs/x/%2E%2E/y"
            an unknown run_id                 |          | 404 | RESOURCE_DOES_NOT_EXIST  | "name": "NAME", "source": "s3://b/m", "run_id": "0123456789abcdef0123456789abcdef"
            a model that does not exist       |          | 404 | RESOURCE_DOES_NOT_EXIST  | "name": "NAME-missing", "source": "s3://b/m"
            no name                           | name     | 400 | INVALID_PARAMETER_VALUE  | "source": "s3://b/m"
            a bad tag key                     | tag.key  | 400 | INVALID_PARAMETER_VALUE  | "name": "NAME", "source": "s3://b/m", "tags": [{"key": "/abs", "value": "v"}]
            """)
    void aBadCreateVersionStoresNothing(String what, String field, int status, String errorCode, String fields) {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("refused");
        createModel(name);
        var answer = post("model-versions/create", "{" + fields.replace("NAME", name) + "}")
                .then().statusCode(status).body("error_code", equalTo(errorCode));
        if (field != null) {
            answer.body("field", equalTo(field));
        }
        assertThat(client.getLatestVersions(name)).isEmpty();
        assertThat(createVersion(name, "s3://b/m")).isEqualTo("1");
    }

    @Test
    void unknownVersionsAndBadVersionNumbersAnswerMlflowErrors() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("versions");
        createModel(name);
        createVersion(name, "s3://elsewhere/v/1");
        refused(() -> client.getModelVersion(name, "7"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.getModelVersionDownloadUri(name, "7"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.getModelVersion(uniqueName("none"), "1"), 404, "RESOURCE_DOES_NOT_EXIST");
        given().queryParam("name", name).queryParam("version", "one")
                .when().get(MlflowRegistryClient.API + "model-versions/get")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("version")).body("message", containsString("'one'"));
        patch("model-versions/update", "{\"name\": \"" + name + "\", \"version\": \"7\", \"description\": \"d\"}")
                .then().statusCode(404).body("message", containsString("Model Version (name=" + name + ", version=7) not found"));
        delete("model-versions/delete", "{\"name\": \"" + name + "\", \"version\": \"7\"}").then().statusCode(404);
        post("model-versions/set-tag", "{\"name\": \"" + name + "\", \"version\": \"7\", \"key\": \"k\", \"value\": \"v\"}")
                .then().statusCode(404);
        post("model-versions/transition-stage", "{\"name\": \"" + name + "\", \"version\": \"1\"}")
                .then().statusCode(400).body("field", equalTo("stage"));
        assertThat(client.getModelVersion(name, "1").getCurrentStage()).isEqualTo("None");
    }

    private static io.restassured.response.Response aliasGet(String name, String alias) {
        return given().queryParam("name", name).queryParam("alias", alias)
                .when().get(MlflowRegistryClient.API + "registered-models/alias");
    }

    private static List<String> versions(Page<ModelVersion> page) {
        return StreamSupport.stream(page.getItems().spliterator(), false).map(ModelVersion::getVersion).toList();
    }
}
