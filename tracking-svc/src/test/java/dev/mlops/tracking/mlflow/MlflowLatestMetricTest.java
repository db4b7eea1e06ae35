package dev.mlops.tracking.mlflow;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlflow.api.proto.Service.Metric;
import org.mlflow.api.proto.Service.Run;
import org.mlflow.api.proto.Service.ViewType;
import org.mlflow.tracking.MlflowClient;

import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The latest value of each metric, as runs/get answers and runs/search filters and orders on it, follows MLflow's
 * rule whatever order the points arrive in: the greatest step, then the latest timestamp.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class MlflowLatestMetricTest {

    @TestHTTPResource("/")
    URL root;

    private MlflowClient client;
    private String experimentId;

    @BeforeEach
    void experiment() {
        client = MlflowClients.client(root);
        experimentId = client.createExperiment("latest-" + UUID.randomUUID());
    }

    @Test
    void anOlderStepLoggedAfterANewerOneDoesNotBecomeLatest() {
        String runId = client.createRun(experimentId).getRunId();
        client.logMetric(runId, "loss", 0.2, 1_000, 5);
        client.logMetric(runId, "loss", 0.9, 2_000, 3); // later in time, but an earlier step

        assertThat(latest(runId, "loss")).extracting(Metric::getValue, Metric::getStep, Metric::getTimestamp)
                .containsExactly(0.2, 5L, 1_000L);
        assertThat(client.getMetricHistory(runId, "loss")).hasSize(2);
        assertThat(ids("metrics.loss < 0.5")).containsExactly(runId);
        assertThat(ids("metrics.loss > 0.5")).isEmpty();
    }

    @Test
    void atEqualStepsTheLaterTimestampWins() {
        String runId = client.createRun(experimentId).getRunId();
        client.logMetric(runId, "acc", 0.3, 2_000, 2);
        client.logMetric(runId, "acc", 0.8, 1_000, 2); // the same step, an earlier timestamp: not latest
        assertThat(latest(runId, "acc").getValue()).isEqualTo(0.3);
        assertThat(ids("metrics.acc > 0.5")).isEmpty();

        client.logMetric(runId, "acc", 0.7, 3_000, 2);
        assertThat(latest(runId, "acc").getValue()).isEqualTo(0.7);
        assertThat(ids("metrics.acc > 0.5")).containsExactly(runId);
    }

    @Test
    void aPointLoggedAgainReplacesTheLatestValueAndABatchAppliesInOrder() {
        String runId = client.createRun(experimentId).getRunId();
        client.logMetric(runId, "f1", 0.4, 1_000, 1);
        client.logMetric(runId, "f1", 0.6, 1_000, 1); // the same point: its value is replaced
        assertThat(latest(runId, "f1").getValue()).isEqualTo(0.6);
        assertThat(client.getMetricHistory(runId, "f1")).hasSize(1);

        client.logBatch(runId, List.of(metric("f1", 0.1, 9, 500), metric("f1", 0.95, 9, 500),
                metric("f1", 0.5, 8, 9_000)), List.of(), List.of());
        assertThat(latest(runId, "f1")).extracting(Metric::getValue, Metric::getStep)
                .containsExactly(0.95, 9L);
        assertThat(client.getMetricHistory(runId, "f1")).extracting(Metric::getStep)
                .containsExactly(1L, 8L, 9L);
    }

    @Test
    void searchOrdersOnTheLatestValueWithRunsLackingTheMetricLast() {
        String early = client.createRun(experimentId).getRunId();
        client.logMetric(early, "auc", 0.99, 1_000, 0);
        client.logMetric(early, "auc", 0.51, 2_000, 1); // its latest value is the lower one
        String steady = client.createRun(experimentId).getRunId();
        client.logMetric(steady, "auc", 0.8, 1_000, 0);
        String without = client.createRun(experimentId).getRunId();

        for (String direction : List.of("DESC", "ASC")) {
            assertThat(ids("", List.of("metrics.auc " + direction))).as(direction).containsExactly(direction.equals("DESC")
                    ? new String[]{steady, early, without} : new String[]{early, steady, without});
        }
    }

    @Test
    void concurrentBatchesOfOneRunAllLandAndLeaveTheGreatestStepLatest() throws Exception {
        String runId = client.createRun(experimentId).getRunId();
        int batches = 8;
        List<String> keys = List.of("loss", "acc", "f1");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int b = 0; b < batches; b++) {
                // every batch repeats steps 0-49 (in its own order, so their rows are met in different orders) and adds
                // a step of its own
                List<Metric> points = new ArrayList<>();
                for (String key : keys) {
                    IntStream.range(0, 50).forEach(step -> points.add(metric(key, step, step, 1_000)));
                    points.add(metric(key, 100 + b, 100 + b, 1_000));
                }
                Collections.shuffle(points, new Random(b));
                sent.add(pool.submit(() -> client.logBatch(runId, points, List.of(), List.of())));
            }
            for (Future<?> batch : sent) {
                batch.get(60, TimeUnit.SECONDS); // a deadlock or a lost race would fail here
            }
        } finally {
            pool.shutdownNow();
        }

        for (String key : keys) {
            assertThat(latest(runId, key)).as(key).extracting(Metric::getValue, Metric::getStep)
                    .containsExactly(100.0 + batches - 1, 100L + batches - 1);
            assertThat(client.getMetricHistory(runId, key)).as(key).hasSize(50 + batches);
        }
    }

    private Metric latest(String runId, String key) {
        Run run = client.getRun(runId);
        List<Metric> metrics = run.getData().getMetricsList().stream().filter(m -> m.getKey().equals(key)).toList();
        assertThat(metrics).as("runs/get answers one latest point per key").hasSize(1);
        return metrics.get(0);
    }

    private List<String> ids(String filter) {
        return ids(filter, List.of());
    }

    private List<String> ids(String filter, List<String> orderBy) {
        return StreamSupport.stream(client.searchRuns(List.of(experimentId), filter, ViewType.ACTIVE_ONLY, 1000, orderBy)
                .getItems().spliterator(), false).map(run -> run.getInfo().getRunId()).toList();
    }

    private static Metric metric(String key, double value, long step, long timestamp) {
        return Metric.newBuilder().setKey(key).setValue(value).setStep(step).setTimestamp(timestamp).build();
    }
}
