package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static dev.mlops.tracking.TestRuns.startRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** The model registry under /models: models, versions (idempotent per run attempt) and aliases. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class ModelRegistryTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void createGetAndListAModel() {
        String name = uniqueName();
        post("/models", "{\"name\": \"" + name + "\", \"description\": \"Titanic survival\"}")
                .then().statusCode(201)
                .header("Location", endsWith("/models/" + name))
                .body("name", equalTo(name))
                .body("description", equalTo("Titanic survival"))
                .body("latestVersion", nullValue());
        post("/models", "{\"name\": \"" + name + "\"}")
                .then().statusCode(409)
                .body("error_code", equalTo("RESOURCE_ALREADY_EXISTS"))
                .body("message", containsString(name));

        given().when().get("/models/" + name).then().statusCode(200).body("createdAt", notNullValue());
        given().when().get("/models").then().statusCode(200).body("models.name", hasItem(name));
    }

    @Test
    void registeringAVersionCreatesTheModelAndIsIdempotentPerRunAttempt() {
        String name = uniqueName();
        String runId = startRun();
        String uri = "s3://mlops-artifacts/runs/" + runId + "/model/model.bin";
        String body = "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + uri + "\", \"attempt\": 1}";

        post("/models/" + name + "/versions", body)
                .then().statusCode(201)
                .header("Location", endsWith("/models/" + name + "/versions/1"))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("runId", equalTo(runId))
                .body("artifactUri", equalTo(uri))
                .body("status", equalTo("READY"))
                .body("createdAt", notNullValue());
        // a re-delivered train event registers the same run attempt again: same version, no new one
        post("/models/" + name + "/versions", body)
                .then().statusCode(200)
                .body("version", equalTo(1));
        post("/models/" + name + "/versions", "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + uri + ".other\"}")
                .then().statusCode(409)
                .body("message", containsString("already registered version 1"));
        post("/models/" + name + "/versions",
                "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + uri + "\", \"attempt\": 2}")
                .then().statusCode(201)
                .body("version", equalTo(2));

        given().when().get("/models/" + name + "/versions").then().statusCode(200)
                .body("versions.version", equalTo(List.of(2, 1)));
        given().when().get("/models/" + name + "/versions/1").then().statusCode(200)
                .body("attempt", equalTo(1));
        given().when().get("/models/" + name).then().statusCode(200)
                .body("latestVersion.version", equalTo(2));
    }

    @Test
    void aliasesPointAtVersions() {
        String name = uniqueName();
        registerVersion(name, startRun());
        registerVersion(name, startRun());

        post("/models/" + name + "/aliases/champion", "{\"version\": 1}")
                .then().statusCode(200)
                .body("version", equalTo(1))
                .body("aliases", equalTo(List.of("champion")));
        given().when().get("/models/" + name + "/aliases/champion").then().statusCode(200)
                .body("version", equalTo(1));
        post("/models/" + name + "/aliases/champion", "{\"version\": 2}").then().statusCode(200);
        given().when().get("/models/" + name + "/aliases/champion").then().statusCode(200)
                .body("version", equalTo(2));
        given().when().get("/models/" + name).then()
                .body("aliases.champion", equalTo(2))
                .body("latestVersion.aliases", equalTo(List.of("champion")));

        given().when().delete("/models/" + name + "/aliases/champion").then().statusCode(204);
        given().when().get("/models/" + name + "/aliases/champion").then().statusCode(404)
                .body("message", containsString("no alias 'champion'"));
    }

    @Test
    void theServingVersionIsTheOneWhoseRunDeployedLastNotWhereAnAliasPoints() {
        String name = uniqueName();
        String first = startRun();
        String second = startRun();
        registerVersion(name, first);
        registerVersion(name, second);
        given().when().get("/models/" + name).then().statusCode(200).body("servingVersion", nullValue());

        deployCompleted(first);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/models/" + name).then().body("servingVersion", equalTo(1)));

        // moving production changes the registry, not what serves
        post("/models/" + name + "/aliases/production", "{\"version\": 2}").then().statusCode(200);
        given().when().get("/models/" + name).then().body("aliases.production", equalTo(2))
                .body("servingVersion", equalTo(1));

        deployCompleted(second);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                given().when().get("/models/" + name).then().body("servingVersion", equalTo(2)));
    }

    @Test
    void concurrentRegistrationsOfANewModelGetDistinctVersions() throws Exception {
        String name = uniqueName();
        List<String> runIds = IntStream.range(0, 8).mapToObj(i -> startRun()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Integer>> answers = IntStream.range(0, 8).mapToObj(i -> pool.submit(() -> {
                String runId = runIds.get(i);
                return post("/models/" + name + "/versions", "{\"runId\": \"" + runId
                        + "\", \"artifactUri\": \"" + bundle(runId) + "\"}").then().statusCode(201)
                        .extract().<Integer>path("version");
            })).toList();
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> answer : answers) {
                versions.add(answer.get(60, TimeUnit.SECONDS));
            }
            assertThat(versions).containsExactlyInAnyOrder(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missingThingsAnswer404WithAMessage() {
        String name = uniqueName();
        given().when().get("/models/" + name).then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString(name));
        given().when().get("/models/" + name + "/versions").then().statusCode(404);
        registerVersion(name, startRun());
        given().when().get("/models/" + name + "/versions/7").then().statusCode(404)
                .body("message", containsString("no version '7'"));
        given().when().get("/models/" + name + "/versions/latest").then().statusCode(404)
                .body("message", containsString("no version 'latest'"));
        post("/models/" + name + "/aliases/prod", "{\"version\": 9}").then().statusCode(404)
                .body("message", containsString("no version '9'"));
        given().when().delete("/models/" + name + "/aliases/prod").then().statusCode(404);
    }

    @Test
    void badInputAnswers400NamingTheField() {
        post("/models", "{\"description\": \"no name\"}").then().statusCode(400)
                .body("field", equalTo("name")).body("message", containsString("name"));
        post("/models", "{\"name\": \"has space\"}").then().statusCode(400)
                .body("field", equalTo("name")).body("message", containsString("'has space'"));
        post("/models", "{\"name\": \"x\", \"owner\": \"me\"}").then().statusCode(400)
                .body("field", equalTo("owner")).body("message", containsString("owner"));
        String name = uniqueName();
        post("/models/" + name + "/versions", "{\"artifactUri\": \"s3://b/k\"}").then().statusCode(400)
                .body("field", equalTo("runId")).body("message", containsString("runId"));
        post("/models/" + name + "/versions", "{\"runId\": \"r1\"}").then().statusCode(400)
                .body("field", equalTo("artifactUri")).body("message", containsString("artifactUri"));
        post("/models/" + name + "/versions", "{\"runId\": \"r1\", \"artifactUri\": \"model.bin\"}").then().statusCode(400)
                .body("field", equalTo("artifactUri"));
        post("/models/" + name + "/versions", "{\"runId\": \"r1\", \"artifactUri\": \"" + bundle("r1") + "\", \"attempt\": 0}")
                .then().statusCode(400).body("field", equalTo("attempt"));
        post("/models/" + name + "/versions", "{\"runId\": \"r1\", \"artifactUri\": \"" + bundle("r1") + "\", \"attempt\": \"one\"}")
                .then().statusCode(400).body("field", equalTo("attempt")).body("message", containsString("attempt"));
        registerVersion(name, startRun());
        post("/models/" + name + "/aliases/prod", "{}").then().statusCode(400)
                .body("field", equalTo("version")).body("message", containsString("version"));
        post("/models/" + name + "/aliases/bad%20alias", "{\"version\": 1}").then().statusCode(400)
                .body("field", equalTo("alias"));
        given().contentType(ContentType.TEXT).body("name=x").when().post("/models").then().statusCode(415)
                .body("field", equalTo("Content-Type"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            another run's prefix           | s3://mlops-artifacts/runs/OTHER/model/model.bin
            '..' out of the run's prefix   | s3://mlops-artifacts/runs/RUN/../OTHER/model/model.bin
            encoded '..'                   | s3://mlops-artifacts/runs/RUN/%2E%2E/OTHER/model.bin
            '.' segment                    | s3://mlops-artifacts/runs/RUN/./model.bin
            empty segment                  | s3://mlops-artifacts/runs/RUN//model.bin
            the prefix itself              | s3://mlops-artifacts/runs/RUN/
            another bucket                 | s3://other-bucket/runs/RUN/model/model.bin
            absolute path                  | /etc/passwd
            file URI                       | file:///etc/passwd
            http URI                       | http://127.0.0.1:9000/mlops-artifacts/runs/RUN/model.bin
            """)
    void artifactUriOutsideTheRunsPrefixAnswers400(String what, String template) {
        String name = uniqueName();
        String runId = UUID.randomUUID().toString();
        String uri = template.replace("RUN", runId).replace("OTHER", UUID.randomUUID().toString());
        post("/models/" + name + "/versions", "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + uri + "\"}")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("artifactUri"))
                .body("message", containsString("s3://mlops-artifacts/runs/" + runId + "/"));
        given().when().get("/models/" + name).then().statusCode(404);
    }

    private void deployCompleted(String runId) {
        new StageEvents(new KafkaTestClient(bootstrap), runId, PipelineSpec.defaults("file:/data.csv"))
                .completed(Stage.DEPLOY, 1);
    }

    private static void registerVersion(String name, String runId) {
        post("/models/" + name + "/versions", "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + bundle(runId)
                + "\"}").then().statusCode(201);
    }

    private static String bundle(String runId) {
        return "s3://mlops-artifacts/runs/" + runId + "/model/model.bin";
    }

    private static Response post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }

    private static String uniqueName() {
        return "model-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
