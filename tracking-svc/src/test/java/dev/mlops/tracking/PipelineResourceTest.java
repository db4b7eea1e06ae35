package dev.mlops.tracking;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import dev.mlops.tracking.config.BuildInfo;
import dev.mlops.tracking.repository.RunRepository;
import dev.mlops.tracking.repository.RunTagRepository;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

/** POST /pipelines and GET /pipelines against real PostgreSQL and Kafka. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class PipelineResourceTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "quarkus.application.version")
    String version;

    @Inject
    RunRepository runs;

    @Inject
    RunTagRepository tags;

    @Inject
    BuildInfo buildInfo;

    @Test
    void postRecordsTheRunTagsItAndAnswers202WithItsId() {
        io.restassured.response.Response answer = given().contentType(ContentType.JSON)
                .body("{\"name\": \"tagged-run\", \"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines");
        answer.then().statusCode(202);
        String runId = answer.path("runId");
        assertThat(answer.header("Location")).endsWith("/pipelines/" + runId);

        Run row = QuarkusTransaction.requiringNew().call(() -> runs.findById(runId));
        assertThat(row).isNotNull();
        assertThat(row.status).isEqualTo(RunStatus.RUNNING);
        assertThat(row.name).isEqualTo("tagged-run");
        Map<String, String> runTags = QuarkusTransaction.requiringNew().call(() -> tags.forRun(runId).stream()
                .collect(Collectors.toMap(t -> t.key, t -> t.value)));
        assertThat(runTags)
                .containsEntry("mlops.platform.version", version)
                .containsEntry("mlops.source.git.commit", buildInfo.gitCommit())
                .containsEntry("mlops.spec.name", "tagged-run");
        assertThat(buildInfo.gitCommit()).matches("[0-9a-f]{40}|unknown");

        given().when().get("/pipelines/" + runId)
                .then().statusCode(200)
                .body("runId", equalTo(runId))
                .body("name", equalTo("tagged-run"))
                .body("status", equalTo("RUNNING"))
                .body("createdAt", notNullValue())
                .body("finishedAt", nullValue())
                .body("spec.deploy.target", equalTo("none"))
                .body("spec.split.testSize", equalTo(0.2f))
                .body("stages.stage", equalTo(List.of("ingest", "preprocess", "train", "evaluate")))
                .body("stages.status", everyItem(equalTo("PENDING")))
                .body("tags.'mlops.spec.name'", equalTo("tagged-run"));
    }

    @Test
    void concurrentRunsOfANewPipelineShareOneExperiment() throws Exception {
        String name = "parallel-" + UUID.randomUUID().toString().substring(0, 8);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Future<String>> answers = IntStream.range(0, 6).mapToObj(i -> pool.submit(() ->
                    given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\"}")
                            .when().post("/pipelines")
                            .then().statusCode(202)
                            .extract().<String>path("runId"))).toList();
            List<String> runIds = new ArrayList<>();
            for (Future<String> answer : answers) {
                runIds.add(answer.get(60, TimeUnit.SECONDS));
            }
            List<Long> experiments = QuarkusTransaction.requiringNew().call(() ->
                    runIds.stream().map(id -> runs.findById(id).experimentId).distinct().toList());
            assertThat(experiments).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void postPublishesTheRequestKeyedByRunIdWithCloudEventHeaders() {
        String runId = startDefaultPipeline();

        ConsumerRecord<String, String> record = new KafkaTestClient(bootstrap)
                .await(Topics.PIPELINE_REQUESTED, r -> runId.equals(r.key()), TIMEOUT);
        assertThat(KafkaTestClient.header(record, "ce_type")).isEqualTo("mlops.pipeline.requested");
        assertThat(KafkaTestClient.header(record, "ce_subject")).isEqualTo(runId);
        assertThat(KafkaTestClient.header(record, "ce_source")).isEqualTo("urn:mlops:tracking-svc");
        StageEvent event = EventJson.readStageEvent(record.value());
        assertThat(event.runId()).isEqualTo(runId);
        assertThat(event.stage()).isEqualTo("pipeline");
        assertThat(event.attempt()).isEqualTo(1);
        assertThat(event.spec().name()).isEqualTo("titanic");
        assertThat(event.spec().dataset().uri()).endsWith("/data/titanic.csv");
        assertThat(event.spec().deploy().target()).isEqualTo("local");
    }

    @Test
    void defaultPipelineGoesThroughEveryStage() {
        String runId = startDefaultPipeline();
        given().when().get("/pipelines/" + runId)
                .then().statusCode(200)
                .body("stages.stage", equalTo(List.of("ingest", "preprocess", "train", "evaluate", "image", "deploy")))
                .body("spec.model.grid.max_depth", equalTo(Arrays.asList(null, 10, 20, 30)));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            malformed JSON                  | {"name": "x",                                  |                               | malformed JSON
            wrong type for testSize         | {"split": {"testSize": "big"}}                  | split.testSize                | split.testSize
            string posing as a number       | {"model": {"cv": "3"}}                          | model.cv                      | model.cv
            unknown top-level field         | {"nmae": "typo"}                                | nmae                          | nmae
            unknown nested field            | {"split": {"testSise": 0.3}}                    | split.testSise                | split.testSise
            testSize above 1                | {"split": {"testSize": 1.5}}                    | split.testSize                | split.testSize
            testSize of 0                   | {"split": {"testSize": 0}}                      | split.testSize                | split.testSize
            both feature lists empty        | {"features": {"numeric": [], "categorical": []}} | features                     | features.numeric and features.categorical
            unknown deploy target           | {"deploy": {"target": "mars"}}                  | deploy.target                 | deploy.target
            dataset URI without scheme      | {"dataset": {"uri": "titanic.csv"}}             | dataset.uri                   | dataset.uri
            name with a space               | {"name": "my pipeline"}                         | name                          | name
            JSON array instead of an object | []                                              |                               | expected a JSON object
            """)
    void badSpecAnswers400NamingTheField(String what, String body, String field, String messagePart) {
        ValidatableResponse response = given().contentType(ContentType.JSON).body(body)
                .when().post("/pipelines")
                .then().statusCode(400)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString(messagePart));
        if (field == null) {
            response.body("field", nullValue());
        } else {
            response.body("field", equalTo(field));
        }
        startDefaultPipeline();
    }

    @Test
    void emptyBodyAnswers400() {
        given().contentType(ContentType.JSON).body("")
                .when().post("/pipelines")
                .then().statusCode(400)
                .body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("body is empty"));
    }

    @Test
    void bodyThatIsNotJsonAnswers415NamingContentType() {
        given().contentType(ContentType.TEXT).body("name=titanic")
                .when().post("/pipelines")
                .then().statusCode(415)
                .body("field", equalTo("Content-Type"))
                .body("message", containsString("Content-Type text/plain"))
                .body("message", containsString("application/json"));
        startDefaultPipeline();
    }

    @Test
    void unknownRunAnswers404WithAMessage() {
        String unknown = UUID.randomUUID().toString();
        given().when().get("/pipelines/" + unknown)
                .then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"))
                .body("message", containsString(unknown));
        given().when().get("/pipelines/{runId}", "not a run id")
                .then().statusCode(404)
                .body("message", containsString("'not a run id'"));
        given().when().get("/pipelines/" + "x".repeat(300))
                .then().statusCode(404)
                .body("error_code", equalTo("RESOURCE_DOES_NOT_EXIST"));
    }

    @Test
    void listIsNewestFirstAndPaged() {
        List<String> mine = IntStream.range(0, 3).mapToObj(i -> startDefaultPipeline()).toList();

        List<String> newest = given().when().get("/pipelines?page=0&size=50")
                .then().statusCode(200)
                .body("page", equalTo(0))
                .body("size", equalTo(50))
                .extract().path("runs.runId");
        assertThat(newest).containsSubsequence(mine.get(2), mine.get(1), mine.get(0));
        long total = given().when().get("/pipelines").then().extract().jsonPath().getLong("total");
        assertThat(total).isGreaterThanOrEqualTo(3);

        List<String> firstTwo = given().when().get("/pipelines?page=0&size=2").then().statusCode(200)
                .body("runs", hasSize(2))
                .body("runs[0].status", notNullValue())
                .body("runs[0].name", notNullValue())
                .body("runs[0].createdAt", notNullValue())
                .extract().path("runs.runId");
        String second = given().when().get("/pipelines?page=1&size=1").then().statusCode(200)
                .body("runs", hasSize(1)).extract().path("runs[0].runId");
        assertThat(second).isEqualTo(firstTwo.get(1));
    }

    @Test
    void badPagingAnswers400NamingTheParameter() {
        given().when().get("/pipelines?page=-1").then().statusCode(400)
                .body("field", equalTo("page")).body("message", containsString("page"));
        given().when().get("/pipelines?size=0").then().statusCode(400)
                .body("field", equalTo("size")).body("message", containsString("size"));
        given().when().get("/pipelines?size=1000").then().statusCode(400)
                .body("field", equalTo("size"));
        given().when().get("/pipelines?page=first").then().statusCode(400)
                .body("field", equalTo("page")).body("message", containsString("'first'"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown model.type                  | {"model": {"type": "svm"}}                                             | model.type                | gradient_boosting
            a parameter not of the type         | {"model": {"type": "logistic_regression", "grid": {"max_depth": [3]}}} | model.grid.max_depth      | is not a parameter of model.type
            learning_rate out of range          | {"model": {"type": "gradient_boosting", "grid": {"learning_rate": [2]}}} | model.grid.learning_rate | greater than 0 and at most 1
            shareTrees false on boosting        | {"model": {"type": "gradient_boosting", "shareTrees": false}}          | model.shareTrees          | only (whether candidates that differ only in n_estimators share trees)
            regression gate on a classification | {"task": "classification", "gate": {"minR2": 0.5}}                     | gate.minR2                | is a regression gate
            logistic regression regressing      | {"task": "regression", "model": {"type": "logistic_regression"}}       | model.type                | classifier only
            unknown task                        | {"task": "ranking"}                                                    | task                      | or left out to infer it
            """)
    void badModelOrTaskAnswers400NamingTheFieldAndStartsNothing(String what, String body, String field,
                                                                 String messagePart) {
        String name = "bad-model-" + UUID.randomUUID().toString().substring(0, 8);
        long before = given().when().get("/pipelines").then().extract().jsonPath().getLong("total");
        given().contentType(ContentType.JSON).body("{\"name\": \"" + name + "\", " + body.substring(1))
                .when().post("/pipelines")
                .then().statusCode(400)
                .body("field", equalTo(field))
                .body("message", containsString(messagePart));

        assertThat(given().when().get("/pipelines").then().extract().jsonPath().getLong("total"))
                .as("no run recorded").isEqualTo(before);
        assertThat(TopicContents.matching(bootstrap, Topics.PIPELINE_REQUESTED, r -> r.value().contains(name)))
                .as("nothing requested").isEmpty();
    }

    @Test
    void bodyOverOneMegabyteAnswers413AndStartsNothing() {
        String name = "too-large-" + UUID.randomUUID().toString().substring(0, 8);
        given().contentType(ContentType.JSON).body(specWithColumns(name, 150_000))  // ~1.4 MB
                .when().post("/pipelines")
                .then().statusCode(413)
                .contentType(ContentType.JSON)
                .body("error_code", equalTo("REQUEST_TOO_LARGE"))
                .body("message", containsString("1048576 bytes"));

        assertThat(TopicContents.matching(bootstrap, Topics.PIPELINE_REQUESTED, r -> r.value().contains(name)))
                .isEmpty();
        startDefaultPipeline();
    }

    @Test
    void requestKafkaRefusesAnswers503AndTheRunIsFailed() {
        // ~400 KB: under the body limit, over the record limit the tests give the producer (application.properties)
        String runId = given().contentType(ContentType.JSON).body(specWithColumns("refused", 40_000))
                .when().post("/pipelines")
                .then().statusCode(503)
                .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                .body("message", containsString("Kafka did not accept the pipeline request"))
                .extract().path("runId");

        given().when().get("/pipelines/" + runId)
                .then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("finishedAt", notNullValue())
                .body("error", containsString("RecordTooLarge"));
        startDefaultPipeline();
    }

    private static String specWithColumns(String name, int columns) {
        String numeric = IntStream.range(0, columns).mapToObj(i -> "\"c" + i + "\"").collect(Collectors.joining(","));
        return "{\"name\": \"" + name + "\", \"features\": {\"numeric\": [" + numeric + "], \"categorical\": []}}";
    }

    /** Starts a run of the default pipeline, which also shows the service still answers. */
    private static String startDefaultPipeline() {
        return given().contentType(ContentType.JSON).body("{}")
                .when().post("/pipelines")
                .then().statusCode(202)
                .body("runId", notNullValue())
                .extract().path("runId");
    }
}
