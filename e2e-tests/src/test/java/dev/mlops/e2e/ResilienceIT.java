package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.mlops.e2e.LocalPlatform.Platform.stage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens to runs when processes die: a stage service killed with SIGKILL in the middle of its work, and
 * PostgreSQL stopped for 30 s in the middle of a run. Each run still ends SUCCEEDED with one result per stage.
 */
@ExtendWith(LocalPlatform.class)
class ResilienceIT {

    /** The published grid (108 candidates x 3 folds): long enough to be killed in the middle of. */
    static final String PUBLISHED_GRID_NOT_DEPLOYED = "{\"deploy\": {\"target\": \"none\"}}";
    static final String SMALL_GRID_NOT_DEPLOYED = """
            {"model": {"grid": {"n_estimators": [20], "max_depth": [5], "min_samples_split": [2],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "none"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    void trainKilledDuringTheGridSearchIsRestartedAndTheRunStillSucceedsOnce() {
        String runId = platform.tracking().startPipeline(PUBLISHED_GRID_NOT_DEPLOYED);
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                stage(platform.tracking().run(runId), "train").path("progress").path("done").asInt() > 0);

        platform.kill("train-svc"); // no shutdown hook, no offset commit, no goodbye to the group
        assertThat(platform.mlops().execute("up")).as("./mlops up restarts what is not running").isZero();

        platform.assertSucceededOnce(runId, platform.awaitEnd(runId, Duration.ofMinutes(6)));
    }

    @Test
    void postgresStoppedForThirtySecondsInTheMiddleOfARunAndTrackingCatchesUp() throws Exception {
        String runId = platform.tracking().startPipeline(SMALL_GRID_NOT_DEPLOYED);
        platform.awaitStage(runId, "ingest", "COMPLETED");

        ProcessHandle postgres = ProcessHandle.of(platform.pid("postgres")).orElseThrow();
        postgres.destroy(); // the launcher stops its PostgreSQL server on SIGTERM
        await().atMost(Duration.ofSeconds(30)).until(() -> !postgres.isAlive());
        Thread.sleep(30_000);
        assertThat(platform.mlops().execute("up")).as("./mlops up starts PostgreSQL again on its data").isZero();

        JsonNode run = platform.awaitEnd(runId, Duration.ofMinutes(3));
        assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
        assertThat(platform.completedStages(run)).containsExactly("ingest", "preprocess", "train", "evaluate");
        assertThat(run.path("metrics").path("accuracy").isNumber()).as("metrics of %s", run).isTrue();
        assertThat(platform.artifacts(run)).containsKeys("raw/data.csv", "model/model.bin", "evaluate/metrics.json");
    }

    @Test
    void twentyPipelinesStartedAtOnceAllSucceedEachWithItsOwnArtifacts() {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            runIds.add(platform.tracking().startPipeline(SMALL_GRID_NOT_DEPLOYED));
        }
        Set<String> models = new HashSet<>();
        for (String runId : runIds) {
            JsonNode run = platform.awaitEnd(runId, Duration.ofMinutes(10));
            assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
            String model = platform.artifacts(run).get("model/model.bin");
            assertThat(model).startsWith("s3://mlops-artifacts/runs/" + runId + "/");
            assertThat(platform.artifacts().exists(java.net.URI.create(model))).isTrue();
            models.add(model);
        }
        assertThat(models).hasSize(20);
    }
}
