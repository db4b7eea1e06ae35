package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelAlias;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.util.List;

import static dev.mlops.tracking.mlflow.MlflowRegistryClient.post;
import static dev.mlops.tracking.mlflow.MlflowRegistryClient.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.equalTo;

/**
 * One store, two APIs: what the pipeline registers through /models (as its train and evaluate stages do) is the
 * MLflow registry's, and what MLflow changes the pipeline's /models API reads.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowPipelineRegistryTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void thePipelinesVersionsAndProductionAliasAreReadThroughMlflow() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("titanic-rf");
        String firstRun = pipelineRun();
        String secondRun = pipelineRun();
        register(name, firstRun);
        register(name, secondRun);
        // the pipeline's promotion (the evaluate stage) points production at version 2
        given().contentType(ContentType.JSON).body("{\"version\": 2}")
                .when().post("/models/" + name + "/aliases/production").then().statusCode(200);

        String experimentId = client.getRun(secondRun).getInfo().getExperimentId();
        String proxied = "mlflow-artifacts:/" + experimentId + "/" + secondRun + "/artifacts/model/model.bin";
        ModelVersion production = client.getModelVersion(name, "2");
        assertThat(production.getRunId()).isEqualTo(secondRun);
        assertThat(production.getStatus().name()).isEqualTo("READY");
        assertThat(production.getAliasesList()).containsExactly("production");
        // MLflow clients download the bundle through the artifact proxy, under the run's artifact_uri
        assertThat(production.getSource()).isEqualTo(proxied);
        assertThat(client.getModelVersionDownloadUri(name, "2")).isEqualTo(proxied);
        assertThat(client.getRun(secondRun).getInfo().getArtifactUri() + "/model/model.bin").isEqualTo(proxied);

        RegisteredModel model = client.getRegisteredModel(name);
        assertThat(model.getAliasesList()).extracting(RegisteredModelAlias::getAlias, RegisteredModelAlias::getVersion)
                .containsExactly(tuple("production", "2"));
        assertThat(model.getLatestVersionsList()).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(client.getLatestVersions(name)).extracting(ModelVersion::getVersion).containsExactly("2");
        assertThat(client.searchModelVersions("name = '" + name + "'").getItems())
                .extracting(ModelVersion::getVersion, ModelVersion::getRunId)
                .containsExactly(tuple("2", secondRun), tuple("1", firstRun));
        given().contentType(ContentType.JSON).body("{\"filter\": \"name = '" + name + "'\"}")
                .when().post("/api/2.0/mlflow/registered-models/search")
                .then().statusCode(200).body("registered_models[0].aliases[0].alias", equalTo("production"));
        given().queryParam("name", name).queryParam("alias", "production")
                .when().get("/api/2.0/mlflow/registered-models/alias")
                .then().statusCode(200).body("model_version.version", equalTo("2"));
    }

    @Test
    void movingAnAliasThroughMlflowIsSeenByThePipelinesApiAndItsRegistrationsCarryOn() {
        String name = uniqueName("titanic-rf");
        register(name, pipelineRun());
        register(name, pipelineRun());
        given().contentType(ContentType.JSON).body("{\"version\": 2}")
                .when().post("/models/" + name + "/aliases/production").then().statusCode(200);

        // a registry change only: the alias moves back to version 1, nothing is deployed by it
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"production\", \"version\": \"1\"}")
                .then().statusCode(200);
        given().when().get("/models/" + name + "/aliases/production").then().statusCode(200)
                .body("version", equalTo(1));
        // a version deleted through MLflow leaves a gap the pipeline's next registration does not reuse
        MlflowRegistryClient.delete("model-versions/delete", "{\"name\": \"" + name + "\", \"version\": \"2\"}")
                .then().statusCode(200);
        register(name, pipelineRun()).then().statusCode(201).body("version", equalTo(3));
        given().when().get("/models/" + name + "/versions").then().statusCode(200)
                .body("versions.version", equalTo(List.of(3, 1)));
    }

    private static String pipelineRun() {
        return given().contentType(ContentType.JSON).body("{\"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines").then().statusCode(202).extract().path("runId");
    }

    /** What the train stage sends when it has stored a run's bundle. */
    private static io.restassured.response.Response register(String name, String runId) {
        io.restassured.response.Response answer = given().contentType(ContentType.JSON)
                .body("{\"runId\": \"" + runId + "\", \"artifactUri\": \"s3://mlops-artifacts/runs/" + runId
                        + "/model/model.bin\", \"attempt\": 1}")
                .when().post("/models/" + name + "/versions");
        answer.then().statusCode(201);
        return answer;
    }
}
