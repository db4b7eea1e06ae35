package dev.mlops.train;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import dev.mlops.testing.ServiceReplica;
import dev.mlops.train.client.TrackingServerResource;
import dev.mlops.train.messaging.TrainWorkConsumer;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.GridSearchResult;
import dev.mlops.train.service.ParamGrid;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;

import static dev.mlops.testing.PrometheusText.sample;
import static dev.mlops.train.CvResultsScores.withoutFitTimes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The grid search fanned out over train-svc replicas: this test's service plus worker replicas in their own JVMs
 * ({@link WorkerReplica}), on a real broker and S3 server.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingServerResource.class)
class FannedOutSearchTest {

    static final Duration TIMEOUT = Duration.ofSeconds(240);
    static final String SCORES = "mlops_train_work_units_scored_total";
    static TitanicData titanic;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;
    @ConfigProperty(name = "mlops.s3.endpoint")
    String s3Endpoint;
    @ConfigProperty(name = "mlops.s3.access-key")
    String s3AccessKey;
    @ConfigProperty(name = "mlops.s3.secret-key")
    String s3SecretKey;

    @Inject
    ArtifactStore store;

    final List<ServiceReplica> replicas = new ArrayList<>();

    @BeforeAll
    static void prepareData() {
        titanic = TitanicData.publishedSplit();
    }

    @AfterEach
    void stopReplicas() {
        replicas.forEach(ServiceReplica::close);
        replicas.clear();
        kafka().awaitMembersHolding(TrainWorkConsumer.GROUP, 1, TIMEOUT); // this service alone again
    }

    /**
     * Units are scored on grid-search pool threads. In a replica started from its jar ({@code java -jar
     * quarkus-run.jar}, as the bench and a pod start one) the application's classes are not on the JDK's system class
     * loader, which the default pool threads get as context class loader: CDI failed on them and the replica scored
     * no unit. Under the test the application has its own class loader too; the pool threads must load from it.
     */
    @Test
    void gridSearchPoolThreadsLoadTheApplicationsClasses() throws Exception {
        assertThat(GridSearch.class.getClassLoader()).as("the application's own class loader")
                .isNotSameAs(ClassLoader.getSystemClassLoader());
        ForkJoinPool pool = new ForkJoinPool(1, GridSearch::worker, null, false);
        try {
            ClassLoader seen = pool.submit(() -> Thread.currentThread().getContextClassLoader()).get();
            assertThat(Class.forName(GridSearch.class.getName(), false, seen)).isSameAs(GridSearch.class);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void oneReplicaSearchesInProcessAndThreeReplicasFindTheSameBestCandidateAndScores() {
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(10, 20, 30), Arrays.asList(null, 5), List.of(2),
                List.of(1, 4));
        kafka().awaitMembersHolding(TrainWorkConsumer.GROUP, 1, TIMEOUT);
        StageEvent alone = train(UUID.randomUUID().toString(), grid);

        startReplicas(2);
        StageEvent fannedOut = train(UUID.randomUUID().toString(), grid);

        assertThat(alone.metrics()).containsEntry("grid_search_replicas", 1.0);
        assertThat(fannedOut.metrics()).containsEntry("grid_search_replicas", 3.0)
                .containsEntry("best_cv_score", alone.metrics().get("best_cv_score"))
                .containsEntry("best_cv_std", alone.metrics().get("best_cv_std"));
        for (String param : List.of("n_estimators", "max_depth", "min_samples_split", "min_samples_leaf")) {
            assertThat(fannedOut.params().get(param)).as(param).isEqualTo(alone.params().get(param));
        }
        assertThat(withoutFitTimes(cvResults(fannedOut))).isEqualTo(withoutFitTimes(cvResults(alone)));
        assertThat(replicas).allSatisfy(replica -> assertThat(replica.output()).contains(WorkerReplica.SCORED
                + fannedOut.runId()));
    }

    @Test
    void aReplicaKilledMidSearchLosesNoUnitAndNoUnitIsScoredTwice() {
        // 24 groups of trees x 3 folds = 72 units
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(30, 60), Arrays.asList(null, 3, 6, 9), List.of(2, 4),
                List.of(1, 3, 5));
        int units = 72;
        startReplicas(2);
        double scoredHereBefore = scoredHere();
        String runId = UUID.randomUUID().toString();
        new KafkaTestClient(bootstrap).publish(preprocessCompleted(runId, grid));

        ServiceReplica victim = replicas.get(0);
        await().atMost(TIMEOUT).until(() -> scoredBy(victim, runId) >= 2);
        victim.kill();
        int scoredByVictim = scoredBy(victim, runId);
        int storedAtKill = store.list(runId, "train/checkpoint/attempt-1/units/").size();
        StageEvent completed = kafka().awaitCompleted(Stage.TRAIN, runId, TIMEOUT);

        assertThat(storedAtKill).as("units stored when the replica was killed").isLessThan(units);
        assertThat(completed.metrics()).containsEntry("grid_search_replicas", 3.0);
        GridSearchResult inProcess = new GridSearch(2).run(titanic.train(), ParamGrid.candidates(grid), 3,
                TitanicData.SEED, (done, total) -> { });
        assertThat(completed.metrics().get("best_cv_score")).isEqualTo(inProcess.best().meanScore());
        CsvTable cvResults = cvResults(completed);
        assertThat(cvResults.column("mean_test_score").stream().map(Double::parseDouble).toList())
                .isEqualTo(inProcess.candidates().stream().map(c -> c.meanScore()).toList());
        assertThat(store.list(runId, "train/checkpoint/attempt-1/units/")).hasSize(units);
        int scoredBySurvivor = scoredBy(replicas.get(1), runId);
        double scoredHere = scoredHere() - scoredHereBefore;
        assertThat(scoredByVictim + scoredBySurvivor + scoredHere).as("unit scores written by the three replicas")
                .isEqualTo(units);
    }

    private void startReplicas(int count) {
        for (int i = 0; i < count; i++) {
            String name = "train-worker-" + UUID.randomUUID().toString().substring(0, 8);
            replicas.add(ServiceReplica.start(name, WorkerReplica.class, List.of(bootstrap, s3Endpoint, s3AccessKey,
                    s3SecretKey, store.bucket(), name), WorkerReplica.READY));
        }
        kafka().awaitMembersHolding(TrainWorkConsumer.GROUP, count + 1, TIMEOUT);
    }

    private StageEvent train(String runId, PipelineSpec.Grid grid) {
        kafka().publish(preprocessCompleted(runId, grid));
        return kafka().awaitCompleted(Stage.TRAIN, runId, TIMEOUT);
    }

    private StageEvent preprocessCompleted(String runId, PipelineSpec.Grid grid) {
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "preprocess", 1,
                TitanicData.forestSpec("rf-" + runId.substring(0, 8), 3, grid), titanic.storeInputs(store, runId),
                Map.of(), Map.of(), Instant.now());
    }

    private CsvTable cvResults(StageEvent completed) {
        return CsvTable.parse(store.read(URI.create(completed.artifact("model/cv_results.csv"))));
    }

    private static int scoredBy(ServiceReplica replica, String runId) {
        return (int) replica.output().lines().filter(line -> line.startsWith(WorkerReplica.SCORED + runId + " "))
                .count();
    }

    private static double scoredHere() {
        return sample(RestAssured.get("/q/metrics").then().statusCode(200).extract().asString(), SCORES);
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
