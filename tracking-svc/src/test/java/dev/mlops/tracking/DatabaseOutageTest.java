package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.notNullValue;

/**
 * PostgreSQL stopped while a run's events arrive: the consumers hold each record (no dead letter, nothing lost,
 * nothing overtaken), the API answers 503, and once the database is back the run's record is complete.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class DatabaseOutageTest {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    /** Long enough for several retries of the held records (0.5 s, 1 s, 2 s, 4 s ...). */
    static final Duration OUTAGE = Duration.ofSeconds(10);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @Inject
    DataSource dataSource;
    @Inject
    MeterRegistry registry;

    @Test
    void eventsConsumedWhileTheDatabaseIsDownAreRecordedOnceItIsBack() throws Exception {
        String runId = given().contentType(ContentType.JSON)
                .body("{\"name\": \"outage\", \"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines")
                .then().statusCode(202)
                .extract().path("runId");
        StageEvents events = new StageEvents(new KafkaTestClient(bootstrap), runId, new PipelineSpec("outage", null,
                null, null, null, null, null, new PipelineSpec.Deploy("none")).withDefaults("file:/data/titanic.csv"));
        double statusBefore = consumed(Topics.STAGE_STATUS);
        double ingestBefore = consumed(Stage.INGEST.completedTopic());
        String prefix = "s3://mlops-artifacts/runs/" + runId + "/";

        PostgresOutage postgres = PostgresOutage.of(dataSource);
        postgres.stop();
        try {
            given().when().get("/pipelines/" + runId)
                    .then().statusCode(503)
                    .header("Retry-After", "5")
                    .contentType(ContentType.JSON)
                    .body("error_code", equalTo("TEMPORARILY_UNAVAILABLE"))
                    .body("message", containsString("database is unavailable"));

            for (Stage stage : List.of(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN, Stage.EVALUATE)) {
                events.started(stage, 1);
                events.completed(stage, 1, Map.of(stage.id() + "/out.bin", prefix + stage.id() + "/out.bin"),
                        Map.of(stage.id() + "_seconds", 1.5), Map.of(stage.id() + "_param", "p"));
            }
            // both consumers took a record and hold it while the database is down
            await().atMost(TIMEOUT).untilAsserted(() -> {
                assertThat(consumed(Topics.STAGE_STATUS)).isGreaterThan(statusBefore);
                assertThat(consumed(Stage.INGEST.completedTopic())).isGreaterThan(ingestBefore);
            });
            Thread.sleep(OUTAGE.toMillis());
        } finally {
            postgres.start();
        }

        await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().when().get("/pipelines/" + runId).then().statusCode(200)
                        .body("status", equalTo("SUCCEEDED"))
                        .body("stages.status", equalTo(List.of("COMPLETED", "COMPLETED", "COMPLETED", "COMPLETED")))
                        .body("stages.startedAt", everyItem(notNullValue()))
                        .body("artifacts.size()", equalTo(4))
                        .body("metrics.size()", equalTo(4))
                        .body("params.evaluate_param", equalTo("p")));
        assertThat(TopicContents.matching(bootstrap, Topics.DEAD_LETTER, r -> runId.equals(r.key()))).isEmpty();
    }

    private double consumed(String topic) {
        Counter counter = registry.find("mlops.events.consumed").tag("topic", topic).counter();
        return counter == null ? 0 : counter.count();
    }
}
