package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Experiment;
import org.mlflow.api.proto.Service.ExperimentTag;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.ExperimentsPage;
import org.mlflow.tracking.MlflowClient;
import org.mlflow.tracking.Page;

import java.net.URL;
import java.util.List;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static dev.mlops.tracking.mlflow.MlflowClients.refused;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

/** MLflow's experiments API, driven by the official MLflow Java client (REST Assured where it has no call). */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowExperimentsTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void anExperimentIsCreatedReadRenamedTaggedDeletedAndRestored() {
        MlflowClient client = MlflowClients.client(root);
        String name = unique("exp");
        String id = client.createExperiment(name);

        Experiment created = client.getExperiment(id);
        assertThat(created.getName()).isEqualTo(name);
        assertThat(created.getLifecycleStage()).isEqualTo("active");
        assertThat(created.getArtifactLocation()).isEqualTo("mlflow-artifacts:/" + id);
        assertThat(created.getCreationTime()).isPositive();
        assertThat(client.getExperimentByName(name)).map(Experiment::getExperimentId).contains(id);

        client.setExperimentTag(id, "team", "fraud");
        client.setExperimentTag(id, "team", "risk"); // last write wins
        client.renameExperiment(id, name + "-renamed");
        Experiment renamed = client.getExperiment(id);
        assertThat(renamed.getName()).isEqualTo(name + "-renamed");
        assertThat(renamed.getTagsList()).extracting(ExperimentTag::getKey, ExperimentTag::getValue)
                .containsExactly(tuple("team", "risk"));
        assertThat(client.getExperimentByName(name)).isEmpty();

        client.deleteExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("deleted");
        assertThat(names(client.searchExperiments("name = '" + name + "-renamed'"))).isEmpty();
        assertThat(names(client.searchExperiments("name = '" + name + "-renamed'", ViewType.DELETED_ONLY, 10, List.of())))
                .containsExactly(name + "-renamed");
        // a deleted experiment takes no runs
        refused(() -> client.createRun(id), 400, "INVALID_PARAMETER_VALUE");

        client.restoreExperiment(id);
        assertThat(client.getExperiment(id).getLifecycleStage()).isEqualTo("active");
    }

    @Test
    void badExperimentRequestsAnswerMlflowErrorCodes() {
        MlflowClient client = MlflowClients.client(root);
        String name = unique("dup");
        client.createExperiment(name);
        // the same name again
        refused(() -> client.createExperiment(name), 400, "RESOURCE_ALREADY_EXISTS");
        // an id no experiment has, and one that is not a number
        refused(() -> client.getExperiment("987654321"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.getExperiment("not-a-number"), 404, "RESOURCE_DOES_NOT_EXIST");
        refused(() -> client.deleteExperiment("987654321"), 404, "RESOURCE_DOES_NOT_EXIST");
        // a name over MLflow's 500 characters, an empty name
        refused(() -> client.createExperiment("x".repeat(501)), 400, "INVALID_PARAMETER_VALUE");
        given().contentType(ContentType.JSON).body("{\"name\": \"\"}")
                .when().post("/api/2.0/mlflow/experiments/create")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        // renaming onto a taken name
        String other = client.createExperiment(unique("other"));
        refused(() -> client.renameExperiment(other, name), 400, "RESOURCE_ALREADY_EXISTS");
    }

    @Test
    void searchFiltersOnNameAndTagsOrdersAndPages() {
        MlflowClient client = MlflowClients.client(root);
        String prefix = unique("search");
        String a = client.createExperiment(prefix + "-a");
        String b = client.createExperiment(prefix + "-b");
        String c = client.createExperiment(prefix + "-c");
        client.setExperimentTag(a, "team", "fraud");
        client.setExperimentTag(c, "team", "fraud");
        client.setExperimentTag(b, "team", "risk");

        ExperimentsPage first = client.searchExperiments("name LIKE '" + prefix + "%'", ViewType.ACTIVE_ONLY, 2,
                List.of("name DESC"));
        assertThat(names(first)).containsExactly(prefix + "-c", prefix + "-b");
        assertThat(first.getNextPageToken()).isPresent();
        Page<Experiment> second = first.getNextPage();
        assertThat(second.getItems()).extracting(Experiment::getName).containsExactly(prefix + "-a");
        // the last page carries no token (the Java client loops on an empty one)
        assertThat(second.hasNextPage()).isFalse();

        assertThat(names(client.searchExperiments("name ILIKE '" + prefix.toUpperCase() + "%' AND tags.team = 'fraud'",
                ViewType.ACTIVE_ONLY, 10, List.of("name ASC")))).containsExactly(prefix + "-a", prefix + "-c");
        assertThat(names(client.searchExperiments("name LIKE '" + prefix + "%' and tags.`team` != 'fraud'")))
                .containsExactly(prefix + "-b");
    }

    @Test
    void searchRefusesAMalformedFilterNamingThePosition() {
        // "name = " with no value: the value expected at position 7 is missing
        given().contentType(ContentType.JSON).body("{\"filter\": \"name = \"}")
                .when().post("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("position 7"));
        // a second comparison joined by OR, which MLflow does not take
        given().contentType(ContentType.JSON).body("{\"filter\": \"name = 'a' OR name = 'b'\"}")
                .when().post("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400).body("message", containsString("position 11"));
        // an order_by on an unknown column, a max_results over MLflow's 50,000
        given().contentType(ContentType.JSON).body("{\"order_by\": [\"colour DESC\"]}")
                .when().post("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("order_by")).body("message", containsString("colour"));
        given().contentType(ContentType.JSON).body("{\"order_by\": [\"name DESC name\"]}")
                .when().post("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400).body("message", containsString("order_by at position 10"));
        given().contentType(ContentType.JSON).body("{\"max_results\": \"50001\"}")
                .when().post("/api/2.0/mlflow/experiments/search")
                .then().statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
    }

    @Test
    void theRestApiTakesMlflowsJsonOnBothPrefixes() {
        String name = unique("wire");
        // unknown fields are ignored; tags at creation
        String id = given().contentType(ContentType.JSON)
                .body("{\"name\": \"" + name + "\", \"tags\": [{\"key\": \"k\", \"value\": \"v\"}], \"future_field\": 1}")
                .when().post("/ajax-api/2.0/mlflow/experiments/create")
                .then().statusCode(200).extract().path("experiment_id");
        given().queryParam("experiment_name", name)
                .when().get("/api/2.0/mlflow/experiments/get-by-name")
                .then().statusCode(200)
                .body("experiment.experiment_id", equalTo(id))
                .body("experiment.lifecycle_stage", equalTo("active"))
                .body("experiment.tags[0].key", equalTo("k"));
        // GET search, and the last page has no next_page_token at all
        given().queryParam("filter", "name = '" + name + "'").queryParam("max_results", "5")
                .when().get("/ajax-api/2.0/mlflow/experiments/search")
                .then().statusCode(200)
                .body("experiments", hasSize(1))
                .body("next_page_token", nullValue());
        // the default experiment MLflow clients log to when they name none
        given().queryParam("experiment_id", "0")
                .when().get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(200).body("experiment.name", equalTo("Default"));
        // no token: 401 in MLflow's error shape
        given().auth().none().queryParam("experiment_id", id)
                .when().get("/api/2.0/mlflow/experiments/get")
                .then().statusCode(401).body("error_code", equalTo("UNAUTHENTICATED"));
    }

    private static List<String> names(Page<Experiment> page) {
        return StreamSupport.stream(page.getItems().spliterator(), false).map(Experiment::getName).toList();
    }

    private static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
