package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.mlops.e2e.LocalPlatform.Platform.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The servers a run depends on go away in the middle of it, as an operator would see it: the Kafka broker killed with
 * SIGKILL during the published grid search (30 s, and 3 minutes: longer than the producers' 60 s metadata timeout),
 * the S3 server killed for 30 s, tracking-svc killed and restarted; each brought back with {@code ./mlops up}. The run
 * still ends SUCCEEDED with one result per stage, no service needed a restart to go on consuming, and the next run
 * goes through every stage. And deploy-svc restarted while it serves a model locally.
 */
@ExtendWith(LocalPlatform.class)
class OutageIT {

    static final String SMALL_GRID_DEPLOYED = """
            {"model": {"grid": {"n_estimators": [20], "max_depth": [5], "min_samples_split": [2],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void kafkaKilledForThirtySecondsDuringTheGridSearch() throws Exception {
        kafkaKilledDuringTheGridSearch(Duration.ofSeconds(30));
    }

    /** What used to leave train-svc deaf: its completed event timed out (60 s metadata wait) and ended its channel. */
    @Test
    void kafkaKilledForThreeMinutesDuringTheGridSearch() throws Exception {
        kafkaKilledDuringTheGridSearch(Duration.ofMinutes(3));
    }

    @Test
    void s3ServerKilledForThirtySecondsAfterIngest() throws Exception {
        String runId = platform.tracking().startPipeline(ResilienceIT.SMALL_GRID_NOT_DEPLOYED);
        platform.awaitStage(runId, "ingest", "COMPLETED");

        platform.kill("s3"); // preprocess reads raw/data.csv from it next
        Thread.sleep(30_000);
        String up = platform.up();

        assertThat(up).contains("s3 ready at");
        platform.assertSucceededOnce(runId, platform.awaitEnd(runId, Duration.ofMinutes(4)));
        assertEveryServiceGoesOnWithoutARestart(up);
    }

    @Test
    void trackingSvcKilledMidRunAndRestarted() {
        String runId = platform.tracking().startPipeline(ResilienceIT.SMALL_GRID_NOT_DEPLOYED);
        platform.awaitStage(runId, "ingest", "COMPLETED");

        // stages go on meanwhile: their status and completed events wait in Kafka, train's model registration is
        // tried again until tracking-svc answers
        platform.kill("tracking-svc");
        String up = platform.up();

        assertThat(up).contains("tracking-svc ready at");
        platform.assertSucceededOnce(runId, platform.awaitEnd(runId, Duration.ofMinutes(4)));
        assertEveryServiceGoesOnWithoutARestart(up);
    }

    /**
     * A local deployment survives deploy-svc: stopped (SIGTERM, as a restart does) and then killed (SIGKILL, a
     * crash), its model-server answers the stable URL (it listens there itself) throughout, and each restarted
     * deploy-svc adopts it: the same model and version from the same process, and the next deploy loads the next model
     * into that same process.
     */
    @Test
    void deploySvcRestartedWhileItsLocalModelServes() throws Exception {
        JsonNode run = platform.runToSuccess(SMALL_GRID_DEPLOYED);
        String servingUrl = run.path("servingUrl").asText();
        JsonNode version = serving.version(servingUrl);
        JsonNode recorded = Json.tree(Files.readString(platform.state().resolve("deploy-state/current.json")));
        long modelServerPid = recorded.path("pid").asLong();

        for (boolean crash : new boolean[] {false, true}) {
            try (RequestLoop direct = new RequestLoop(servingUrl)) {
                ProcessHandle deploySvc = ProcessHandle.of(platform.pid("deploy-svc")).orElseThrow();
                if (crash) {
                    deploySvc.destroyForcibly();
                } else {
                    deploySvc.destroy();
                }
                deploySvc.onExit().get(60, TimeUnit.SECONDS);
                serving.post(servingUrl, ServingClient.PASSENGER);
                String up = platform.up();

                assertThat(up).contains("deploy-svc ready at");
                assertThat(direct.failures()).as("requests to the stable URL while deploy-svc was %s",
                        crash ? "killed" : "stopped").isEmpty();
                assertThat(direct.answered()).isPositive();
            }
            assertThat(serving.version(servingUrl)).as("the stable URL after the restart").isEqualTo(version);
            serving.assertServesTheRunsModel(platform, run, servingUrl);
            assertThat(ProcessHandle.of(modelServerPid).map(ProcessHandle::isAlive)).as("the same model-server")
                    .contains(true);
        }

        JsonNode next = platform.runToSuccess(SMALL_GRID_DEPLOYED);
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(next.path("runId").asText());
        assertThat(ProcessHandle.of(modelServerPid).map(ProcessHandle::isAlive).orElse(false))
                .as("the adopted model-server serves the next model too").isTrue();
        assertThat(Json.tree(Files.readString(platform.state().resolve("deploy-state/current.json"))).path("pid")
                .asLong()).isEqualTo(modelServerPid);
    }

    /** Scoring requests sent one after another until closed, counting the answers that are not 200. */
    private final class RequestLoop implements AutoCloseable {
        private final AtomicInteger answered = new AtomicInteger();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        RequestLoop(String url) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        var response = serving.send(url, ServingClient.PASSENGER);
                        if (response.statusCode() == 200) {
                            answered.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            thread.start();
        }

        int answered() {
            return answered.get();
        }

        List<String> failures() {
            return failures;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(30_000);
        }
    }

    private void kafkaKilledDuringTheGridSearch(Duration outage) throws Exception {
        String runId = platform.tracking().startPipeline(ResilienceIT.PUBLISHED_GRID_NOT_DEPLOYED);
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200)).until(() ->
                stage(platform.tracking().run(runId), "train").path("progress").path("done").asInt() > 0);

        long killed = System.nanoTime();
        platform.kill("kafka");
        // the connector's health reports the lost broker: every stage is DOWN while it is gone
        await().atMost(outage).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(platform.serviceHealth()).as("/q/health with the broker gone")
                        .containsEntry("ingest-svc", 503).containsEntry("train-svc", 503));
        Thread.sleep(Math.max(0, outage.toMillis() - Duration.ofNanos(System.nanoTime() - killed).toMillis()));
        String up = platform.up();

        assertThat(up).contains("kafka ready at");
        platform.assertSucceededOnce(runId, platform.awaitEnd(runId, Duration.ofMinutes(6)));
        assertEveryServiceGoesOnWithoutARestart(up);
    }

    /**
     * {@code ./mlops up} restarted no service (none stayed DOWN: no channel ended), every service is UP, and a new
     * run goes through all six stages, the model served at the end.
     */
    private void assertEveryServiceGoesOnWithoutARestart(String up) {
        assertThat(up).as("./mlops up").doesNotContain("restarting");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                assertThat(platform.serviceHealth()).as("/q/health of every service").allSatisfy(
                        (String service, Integer status) -> assertThat(status).as(service).isEqualTo(200)));
        JsonNode next = platform.runToSuccess(SMALL_GRID_DEPLOYED);
        assertThat(platform.completedStages(next))
                .containsExactly("ingest", "preprocess", "train", "evaluate", "image", "deploy");
    }
}
