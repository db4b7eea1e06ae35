package dev.mlops.tracking;

import dev.mlops.common.event.Topics;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

/** The API's bearer token: what a client without it, with a wrong one and with the right one gets. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ApiAuthenticationTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.api.token")
    String token;

    @Test
    void withoutTheTokenReadingAnswers401WithAJsonErrorAndTheBearerChallenge() {
        given().auth().none().when().get("/pipelines")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("UNAUTHENTICATED"))
                .body("message", containsString("Authorization: Bearer"))
                .body("message", containsString("MLOPS_API_TOKEN"));
        given().auth().none().when().get("/models").then().statusCode(401);
        given().auth().none().when().get("/no-such-endpoint").then().statusCode(401);
    }

    @Test
    void withoutTheTokenAPipelineIsNotStarted() {
        String name = "no-token-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().none().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}")
                .when().post("/pipelines")
                .then().statusCode(401)
                .body("error_code", equalTo("UNAUTHENTICATED"));

        assertThat(TopicContents.matching(bootstrap, Topics.PIPELINE_REQUESTED, r -> r.value().contains(name)))
                .isEmpty();
        given().when().get("/pipelines?size=100").then().statusCode(200)
                .body("runs.name", not(hasItem(name)));
    }

    @Test
    void aWrongTokenOrAnotherSchemeAnswers401() {
        given().auth().oauth2(token + "x").when().get("/pipelines")
                .then().statusCode(401)
                .header("WWW-Authenticate", "Bearer")
                .body("message", containsString("does not carry this API's bearer token"));
        given().auth().oauth2(token.substring(1)).when().get("/pipelines").then().statusCode(401);
        given().auth().none().header("Authorization", "Basic " + token).when().get("/pipelines").then().statusCode(401);
        given().auth().none().header("Authorization", "Bearer").when().get("/pipelines").then().statusCode(401);
        given().auth().oauth2(token + "x").contentType(ContentType.JSON).body("{}")
                .when().post("/pipelines").then().statusCode(401);
    }

    @Test
    void theRightTokenIsServed() {
        given().auth().oauth2(token).when().get("/pipelines").then().statusCode(200);
        given().auth().none().header("Authorization", "bearer " + token).when().get("/models").then().statusCode(200);
        given().auth().oauth2(token).contentType(ContentType.JSON).body("{\"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines").then().statusCode(202);
    }

    @Test
    void healthMetricsAndOpenApiStayOpen() {
        given().auth().none().when().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().auth().none().when().get("/q/health/ready").then().statusCode(200);
        given().auth().none().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("mlops_runs"));
        given().auth().none().when().get("/q/openapi").then().statusCode(200);
    }
}
