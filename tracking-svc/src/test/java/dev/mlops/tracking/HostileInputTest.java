package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.EncoderConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.mlops.tracking.TestRuns.startRun;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;

/**
 * The API under the inputs issue 17's attacker sent: each is refused with a 4xx in the API's error shape (never a
 * 500 or a stack trace), and a normal request right after still works.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class HostileInputTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Test
    void gridOfNEstimators1To46340TimesMaxDepth1To46340Answers400NamingTheCandidateLimit() {
        String values = IntStream.rangeClosed(1, 46340).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String spec = "{\"model\": {\"grid\": {\"n_estimators\": [" + values + "], \"max_depth\": [" + values + "]}}}";
        assertThat(spec.length()).isGreaterThan(500_000);
        postPipeline(spec).then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("model.grid"))
                .body("message", containsString("mlops.limits.max-candidate-fits"));
        startRun();
    }

    @Test
    void gridOfAMillionCandidatesAnswers400() {
        String spec = "{\"model\": {\"grid\": {\"n_estimators\": " + range(1, 100) + ", \"max_depth\": " + range(1, 100)
                + ", \"min_samples_split\": " + range(2, 101) + ", \"min_samples_leaf\": [1]}}}";
        postPipeline(spec).then().statusCode(400)
                .body("message", containsString("1000000 candidates"))
                .body("message", containsString("mlops.limits.max-candidate-fits"));
        startRun();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NUL in a feature name     | {"features": {"numeric": ["Age\\u0000"]}}       | features.numeric[0]
            newline in the target     | {"target": "Survived\\nforged log line"}        | target
            NUL in the name           | {"name": "titanic\\u0000"}                      | name
            duplicate JSON key        | {"name": "a", "name": "b"}                      |
            """)
    void controlCharactersAndDuplicateKeysInASpecAnswer400NamingTheField(String what, String spec, String field) {
        Response answer = postPipeline(spec);
        answer.then().statusCode(400).contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"));
        if (field == null) {
            answer.then().body("message", containsString("Duplicate field 'name'"));
        } else {
            answer.then().body("field", equalTo(field)).body("message", containsString("control character"));
        }
        startRun();
    }

    @Test
    void garbageContentTypeAnswers415Json() {
        given().config(RestAssured.config().encoderConfig(EncoderConfig.encoderConfig()
                        .appendDefaultContentCharsetToContentTypeIfUndefined(false)))
                .header("Content-Type", "garbage").body("{}".getBytes(StandardCharsets.UTF_8))
                .when().post("/pipelines")
                .then().statusCode(415)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("UNSUPPORTED_MEDIA_TYPE"))
                .body("field", equalTo("Content-Type"))
                .body("message", containsString("'garbage'"));
        startRun();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            NUL in a run id               | /pipelines/%00
            NUL in a metric key           | /pipelines/r/metrics/loss%00
            NUL in a model name           | /models/m%00
            NUL in a version              | /models/m/versions/1%00
            newline in an alias           | /models/m/aliases/prod%0Aforged
            """)
    void controlCharactersInThePathAnswer400(String what, String path) {
        given().urlEncodingEnabled(false).when().get(path)
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("path"))
                .body("message", containsString("control character"));
        given().when().get("/models").then().statusCode(200);
    }

    @Test
    void nulInAQueryParameterAnswers400NamingIt() {
        given().urlEncodingEnabled(false).when().get("/pipelines?status=FAILED%00")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("field", equalTo("status"))
                .body("message", containsString("control character (U+0000)"));
        given().queryParam("status", "FAILED").when().get("/pipelines").then().statusCode(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            bad escape in a query parameter | /models?max_results=%zz
            bad escape in a path segment    | /models/%zz
            """)
    void malformedEscapesAnswer400WithoutAStackTrace(String what, String url) throws IOException {
        // sent over a plain socket: HTTP clients refuse to send a malformed escape. Quarkus' HTTP layer refuses it
        // before the API sees it, with an empty 400
        String answer = rawGet(url);
        assertThat(answer).startsWith("HTTP/1.1 400").doesNotContain("Exception");
        given().when().get("/models").then().statusCode(200);
    }

    private static String rawGet(String target) throws IOException {
        String token = ConfigProvider.getConfig().getValue("mlops.api.token", String.class);
        try (Socket socket = new Socket("127.0.0.1", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + token + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void controlCharactersInRegistryFieldsAnswer400NamingTheField() {
        String name = "model-" + UUID.randomUUID().toString().substring(0, 8);
        postJson("/models", "{\"name\": \"" + name + "\", \"description\": \"a\\u0000b\"}").then().statusCode(400)
                .body("field", equalTo("description")).body("message", containsString("control character"));
        postJson("/models/" + name + "/versions", "{\"runId\": \"r\\u0000\", \"artifactUri\": \"s3://x/y\"}")
                .then().statusCode(400).body("field", equalTo("runId"));
        postJson("/models", "{\"name\": \"" + name + "\", \"description\": \"fine\"}").then().statusCode(201);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            '..' as the run id               | ..        | 400 | INVALID_PARAMETER_VALUE
            a run id no run has              | UNKNOWN   | 404 | RESOURCE_DOES_NOT_EXIST
            another run's bundle             | OTHER     | 400 | INVALID_PARAMETER_VALUE
            """)
    void modelVersionsMustPointAtAnExistingRun(String what, String runIdTemplate, int status, String errorCode) {
        String existing = startRun();
        String runId = runIdTemplate.replace("UNKNOWN", UUID.randomUUID().toString()).replace("OTHER", startRun());
        // the bundle lies under the run id's own prefix, except for "another run's bundle"
        String bundle = "s3://mlops-artifacts/runs/" + (runIdTemplate.equals("OTHER") ? existing : runId)
                + "/model/model.bin";
        String name = "model-" + UUID.randomUUID().toString().substring(0, 8);
        postJson("/models/" + name + "/versions", "{\"runId\": \"" + runId + "\", \"artifactUri\": \"" + bundle + "\"}")
                .then().statusCode(status)
                .body("error_code", equalTo(errorCode));
        postJson("/models/" + name + "/versions", "{\"runId\": \"" + existing + "\", \"artifactUri\": \""
                + "s3://mlops-artifacts/runs/" + existing + "/model/model.bin\"}").then().statusCode(201)
                .body("version", equalTo(1));
    }

    @Test
    void modelListIsPagedAndDescriptionsAreCapped() {
        String prefix = "paged-" + UUID.randomUUID().toString().substring(0, 8);
        postJson("/models", "{\"name\": \"" + prefix + "-big\", \"description\": \"" + "d".repeat(5001) + "\"}")
                .then().statusCode(400).body("field", equalTo("description"))
                .body("message", containsString("at most 5000 characters"));
        for (String suffix : List.of("a", "b", "c")) {
            postJson("/models", "{\"name\": \"" + prefix + "-" + suffix + "\", \"description\": \""
                    + "d".repeat(5000) + "\"}").then().statusCode(201);
        }

        List<String> names = new java.util.ArrayList<>();
        String token = null;
        for (int page = 0; page < 10_000; page++) {
            var request = given().queryParam("max_results", 2);
            if (token != null) {
                request.queryParam("page_token", token);
            }
            var answer = request.when().get("/models").then().statusCode(200).extract().jsonPath();
            List<String> pageNames = answer.getList("models.name");
            assertThat(pageNames).hasSizeLessThanOrEqualTo(2);
            names.addAll(pageNames);
            token = answer.getString("next_page_token");
            if (token == null) {
                break;
            }
        }
        assertThat(token).isNull();
        assertThat(names).doesNotHaveDuplicates().isSorted()
                .contains(prefix + "-a", prefix + "-b", prefix + "-c").doesNotContain(prefix + "-big");

        given().queryParam("max_results", 1001).when().get("/models").then().statusCode(400)
                .body("field", equalTo("max_results")).body("message", containsString("1 to 1000"));
        given().queryParam("max_results", 0).when().get("/models").then().statusCode(400);
        given().queryParam("page_token", "not*a*token").when().get("/models").then().statusCode(400)
                .body("field", equalTo("page_token"));
        given().when().get("/models").then().statusCode(200).body("models.size()", lessThan(101));
    }

    @Test
    void pipelinesFilterByStatusAndRefuseUnknownOrRepeatedQueryParameters() {
        String failed = startRun();
        String running = startRun();
        PipelineSpec spec = PipelineSpec.defaults("file:/data/titanic.csv");
        new StageEvents(new KafkaTestClient(bootstrap), failed, spec).failed(Stage.INGEST, 1, "no such file");
        await().atMost(TIMEOUT).untilAsserted(() -> given().when().get("/pipelines/" + failed).then()
                .body("status", equalTo("FAILED")));

        given().queryParam("status", "FAILED").queryParam("size", 100).when().get("/pipelines").then()
                .statusCode(200)
                .body("runs.status", everyItem(equalTo("FAILED")))
                .body("runs.runId", hasItem(failed))
                .body("runs.runId", not(hasItem(running)));
        given().queryParam("status", "RUNNING").queryParam("size", 100).when().get("/pipelines").then()
                .statusCode(200)
                .body("runs.runId", hasItem(running))
                .body("runs.runId", not(hasItem(failed)));
        given().queryParam("status", "DONE").when().get("/pipelines").then().statusCode(400)
                .body("field", equalTo("status"))
                .body("message", containsString("[RUNNING, SUCCEEDED, FAILED, KILLED]"));
        given().queryParam("colour", "red").when().get("/pipelines").then().statusCode(400)
                .body("field", equalTo("colour"))
                .body("message", containsString("unknown query parameter 'colour'"))
                .body("message", containsString("page, size, status"));
        given().urlEncodingEnabled(false).when().get("/pipelines?status=FAILED&status=RUNNING").then()
                .statusCode(400)
                .body("field", equalTo("status"))
                .body("message", containsString("2 times"));
        given().queryParam("status", "FAILED").when().get("/pipelines").then().statusCode(200);
    }

    @Test
    void duplicateJsonKeysAnswer400OnEveryBody() {
        String runId = startRun();
        postJson("/models", "{\"name\": \"dup-a\", \"name\": \"dup-b\"}").then().statusCode(400)
                .body("message", containsString("Duplicate field 'name'"));
        postJson("/pipelines/" + runId + "/log-batch", "{\"params\": [], \"params\": []}").then().statusCode(400)
                .body("message", containsString("Duplicate field 'params'"));
        postJson("/pipelines/" + runId + "/log-batch",
                "{\"metrics\": [{\"key\": \"a\", \"value\": 1, \"value\": 2}]}").then().statusCode(400)
                .body("message", containsString("Duplicate field 'value'"));
        postJson("/pipelines/" + runId + "/log-batch", "{\"tags\": [{\"key\": \"a\", \"value\": \"b\"}]}")
                .then().statusCode(200);
    }

    @Test
    void userInputEchoedInErrorsIsEscapedAndCut() {
        String longName = "x".repeat(3000);
        String message = given().when().get("/models/" + longName).then().statusCode(404)
                .extract().path("message");
        assertThat(message).hasSizeLessThan(400).contains("(3000 chars)");
        given().when().get("/pipelines/" + longName + "/metrics/loss").then().statusCode(404)
                .body("message", containsString("(3000 chars)"));
        startRun();
    }

    private static String range(int from, int to) {
        return IntStream.rangeClosed(from, to).mapToObj(Integer::toString)
                .collect(Collectors.joining(",", "[", "]"));
    }

    private static Response postPipeline(String spec) {
        return postJson("/pipelines", spec);
    }

    private static Response postJson(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path);
    }
}
