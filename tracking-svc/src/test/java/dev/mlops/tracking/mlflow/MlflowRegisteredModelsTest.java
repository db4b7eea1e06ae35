package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.ModelRegistry.ModelVersion;
import org.mlflow.api.proto.ModelRegistry.RegisteredModel;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelAlias;
import org.mlflow.api.proto.ModelRegistry.RegisteredModelTag;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.util.List;

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
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;

/** MLflow's registered-models API: reads through the official Java client, writes with REST Assured. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowRegisteredModelsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void aModelIsCreatedTaggedDescribedRenamedAndDeleted() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("churn");
        post("registered-models/create", "{\"name\": \"" + name + "\", \"description\": \"first\","
                + " \"tags\": [{\"key\": \"team\", \"value\": \"risk\"}]}")
                .then().statusCode(200)
                .body("registered_model.name", equalTo(name))
                .body("registered_model.description", equalTo("first"));
        RegisteredModel created = client.getRegisteredModel(name);
        assertThat(created.getCreationTimestamp()).isPositive();
        assertThat(created.getTagsList()).extracting(RegisteredModelTag::getKey, RegisteredModelTag::getValue)
                .containsExactly(tuple("team", "risk"));
        assertThat(created.getLatestVersionsList()).isEmpty();

        post("registered-models/set-tag", "{\"name\": \"" + name + "\", \"key\": \"team\", \"value\": \"fraud\"}")
                .then().statusCode(200);
        post("registered-models/set-tag", "{\"name\": \"" + name + "\", \"key\": \"tier\", \"value\": \"gold\"}")
                .then().statusCode(200);
        delete("registered-models/delete-tag", "{\"name\": \"" + name + "\", \"key\": \"tier\"}").then().statusCode(200);
        patch("registered-models/update", "{\"name\": \"" + name + "\", \"description\": \"second\"}")
                .then().statusCode(200).body("registered_model.description", equalTo("second"));
        createVersion(name, "s3://elsewhere/churn/1");
        post("registered-models/alias", "{\"name\": \"" + name + "\", \"alias\": \"champion\", \"version\": \"1\"}")
                .then().statusCode(200);

        // renamed: its versions and aliases follow, the old name is free
        post("registered-models/rename", "{\"name\": \"" + name + "\", \"new_name\": \"" + name + "-v2\"}")
                .then().statusCode(200).body("registered_model.name", equalTo(name + "-v2"));
        RegisteredModel renamed = client.getRegisteredModel(name + "-v2");
        assertThat(renamed.getDescription()).isEqualTo("second");
        assertThat(renamed.getTagsList()).extracting(RegisteredModelTag::getKey, RegisteredModelTag::getValue)
                .containsExactly(tuple("team", "fraud"));
        assertThat(renamed.getLatestVersionsList()).extracting(ModelVersion::getName, ModelVersion::getVersion)
                .containsExactly(tuple(name + "-v2", "1"));
        assertThat(renamed.getAliasesList()).extracting(RegisteredModelAlias::getAlias, RegisteredModelAlias::getVersion)
                .containsExactly(tuple("champion", "1"));
        assertThat(client.getModelVersion(name + "-v2", "1").getAliasesList()).containsExactly("champion");
        refused(() -> client.getRegisteredModel(name), 404, "RESOURCE_DOES_NOT_EXIST");

        // deleted: its versions, tags and aliases go; the name can be registered again, from version 1
        delete("registered-models/delete", "{\"name\": \"" + name + "-v2\"}").then().statusCode(200);
        refused(() -> client.getRegisteredModel(name + "-v2"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.getModelVersion(name + "-v2", "1"), 404, "RESOURCE_DOES_NOT_EXIST");
        createModel(name + "-v2");
        assertThat(client.getRegisteredModel(name + "-v2").getTagsList()).isEmpty();
        assertThat(createVersion(name + "-v2", "s3://elsewhere/churn/2")).isEqualTo("1");
        assertThat(client.getRegisteredModel(name + "-v2").getAliasesList()).isEmpty();
    }

    @Test
    void latestVersionsHoldTheNewestVersionOfEachStage() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("stages");
        createModel(name);
        for (int i = 1; i <= 4; i++) {
            createVersion(name, "s3://elsewhere/stages/" + i);
        }
        transition(name, "1", "production", false).then().statusCode(200)
                .body("model_version.current_stage", equalTo("Production"));
        transition(name, "2", "Staging", false).then().statusCode(200);
        transition(name, "3", "PRODUCTION", true).then().statusCode(200);
        // archive_existing_versions moved version 1 out of Production
        assertThat(client.getModelVersion(name, "1").getCurrentStage()).isEqualTo("Archived");

        assertThat(client.getLatestVersions(name)).extracting(ModelVersion::getVersion, ModelVersion::getCurrentStage)
                .containsExactlyInAnyOrder(tuple("1", "Archived"), tuple("2", "Staging"), tuple("3", "Production"),
                        tuple("4", "None"));
        assertThat(client.getLatestVersions(name, List.of("Production", "staging")))
                .extracting(ModelVersion::getVersion).containsExactlyInAnyOrder("2", "3");
        assertThat(client.getRegisteredModel(name).getLatestVersionsList()).hasSize(4);
        given().contentType("application/json").body("{\"name\": \"" + name + "\", \"stages\": [\"None\"]}")
                .when().post("/ajax-api/2.0/mlflow/registered-models/get-latest-versions")
                .then().statusCode(200).body("model_versions.version", equalTo(List.of("4")));

        // a stage MLflow does not have; archiving beside a stage that is not Staging or Production
        transition(name, "4", "Retired", false).then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("field", equalTo("stage"))
                .body("message", containsString("Retired"));
        transition(name, "4", "Archived", true).then().statusCode(400)
                .body("field", equalTo("archive_existing_versions"));
        refused(() -> client.getLatestVersions(name, List.of("Retired")), 400, "INVALID_PARAMETER_VALUE");
        assertThat(client.getModelVersion(name, "4").getCurrentStage()).isEqualTo("None");
    }

    @Test
    void searchFiltersOnNameAndTagsOrdersAndPagesWithoutATokenOnTheLastPage() {
        String prefix = uniqueName("search");
        for (String suffix : List.of("a", "b", "c")) {
            createModel(prefix + "-" + suffix);
        }
        post("registered-models/set-tag", "{\"name\": \"" + prefix + "-b\", \"key\": \"team\", \"value\": \"risk\"}")
                .then().statusCode(200);

        String firstToken = given().queryParam("filter", "name LIKE '" + prefix + "%'").queryParam("max_results", 2)
                .queryParam("order_by", "name DESC")
                .when().get(MlflowRegistryClient.API + "registered-models/search")
                .then().statusCode(200)
                .body("registered_models.name", equalTo(List.of(prefix + "-c", prefix + "-b")))
                .extract().path("next_page_token");
        given().queryParam("filter", "name LIKE '" + prefix + "%'").queryParam("max_results", 2)
                .queryParam("order_by", "name DESC").queryParam("page_token", firstToken)
                .when().get(MlflowRegistryClient.API + "registered-models/search")
                .then().statusCode(200)
                .body("registered_models.name", equalTo(List.of(prefix + "-a")))
                .body("$", not(hasKey("next_page_token")));
        post("registered-models/search", "{\"filter\": \"name ILIKE '" + prefix.toUpperCase() + "%' AND tags.team = 'risk'\"}")
                .then().statusCode(200).body("registered_models.name", equalTo(List.of(prefix + "-b")));
        // the default order is by name; order_by last_updated_timestamp is MLflow's other key
        post("registered-models/search", "{\"filter\": \"name LIKE '" + prefix + "%'\", \"order_by\": "
                + "[\"last_updated_timestamp DESC\"]}")
                .then().statusCode(200).body("registered_models.name", equalTo(List.of(prefix + "-c", prefix + "-b",
                        prefix + "-a")));
        // a GET repeats a repeated field's parameter, as MLflow's clients send order_by
        given().queryParam("filter", "name LIKE '" + prefix + "%'")
                .queryParam("order_by", "last_updated_timestamp ASC", "name DESC")
                .when().get(MlflowRegistryClient.API + "registered-models/search")
                .then().statusCode(200).body("registered_models.name", equalTo(List.of(prefix + "-a", prefix + "-b",
                        prefix + "-c")));
        post("registered-models/search", "{\"filter\": \"name = '" + prefix + "-a'\"}")
                .then().statusCode(200).body("registered_models.name", equalTo(List.of(prefix + "-a")));

        // bad searches: max_results over 1,000, an unknown attribute, an unknown order key, a malformed filter
        post("registered-models/search", "{\"max_results\": 1001}").then().statusCode(400)
                .body("field", equalTo("max_results")).body("message", containsString("1000"));
        post("registered-models/search", "{\"filter\": \"owner = 'me'\"}").then().statusCode(400)
                .body("field", equalTo("filter")).body("message", containsString("owner"));
        post("registered-models/search", "{\"order_by\": [\"owner ASC\"]}").then().statusCode(400)
                .body("field", equalTo("order_by")).body("message", containsString("owner"));
        post("registered-models/search", "{\"filter\": \"name = \"}").then().statusCode(400)
                .body("message", containsString("position 7"));
    }

    @Test
    void badRequestsAnswerMlflowErrorsAndStoreNothing() {
        MlflowClient client = MlflowClients.client(root);
        String name = uniqueName("bad");
        createModel(name);
        // the same name again, a rename onto a taken name (both unchanged afterwards)
        post("registered-models/create", "{\"name\": \"" + name + "\"}").then().statusCode(400)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS")).body("message", containsString(name));
        String other = uniqueName("other");
        createModel(other);
        post("registered-models/rename", "{\"name\": \"" + other + "\", \"new_name\": \"" + name + "\"}")
                .then().statusCode(400).body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"));
        assertThat(client.getRegisteredModel(other).getName()).isEqualTo(other);
        // no name, a 257-character name, a bad tag key: nothing created
        post("registered-models/create", "{\"description\": \"x\"}").then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE")).body("field", equalTo("name"));
        String tooLong = "m".repeat(257);
        post("registered-models/create", "{\"name\": \"" + tooLong + "\"}").then().statusCode(400)
                .body("field", equalTo("name")).body("message", containsString("256"));
        String tagged = uniqueName("tagged");
        post("registered-models/create", "{\"name\": \"" + tagged + "\", \"tags\": [{\"key\": \"a//b\", \"value\": \"v\"}]}")
                .then().statusCode(400).body("field", equalTo("tag.key"));
        refused(() -> client.getRegisteredModel(tagged), 404, "RESOURCE_DOES_NOT_EXIST");
        post("registered-models/rename", "{\"name\": \"" + other + "\", \"new_name\": \"\"}").then().statusCode(400)
                .body("field", equalTo("new_name"));
        // unknown models, everywhere
        String missing = uniqueName("missing");
        refused(() -> client.getRegisteredModel(missing), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.getLatestVersions(missing), 404, "RESOURCE_DOES_NOT_EXIST");
        patch("registered-models/update", "{\"name\": \"" + missing + "\", \"description\": \"d\"}")
                .then().statusCode(404).body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString("Registered Model with name=" + missing + " not found"));
        delete("registered-models/delete", "{\"name\": \"" + missing + "\"}").then().statusCode(404);
        post("registered-models/rename", "{\"name\": \"" + missing + "\", \"new_name\": \"" + missing + "-x\"}")
                .then().statusCode(404);
        given().when().get(MlflowRegistryClient.API + "registered-models/get").then().statusCode(400)
                .body("field", equalTo("name"));
    }

    private static io.restassured.response.Response transition(String name, String version, String stage,
                                                               boolean archive) {
        return post("model-versions/transition-stage", "{\"name\": \"" + name + "\", \"version\": \"" + version
                + "\", \"stage\": \"" + stage + "\", \"archive_existing_versions\": " + archive + "}");
    }
}
