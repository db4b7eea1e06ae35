package dev.mlops.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.ModelTypes;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import dev.mlops.train.client.RecordingTrackingServer;
import dev.mlops.train.client.TrackingServerResource;
import dev.mlops.train.service.CandidateScore;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.ParamGrid;
import dev.mlops.train.service.StoredCheckpoint;
import dev.mlops.train.service.TrainService;
import dev.mlops.train.service.TrainingInputs;
import dev.mlops.train.service.TrainingSet;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static dev.mlops.train.CvResultsScores.withoutFitTimes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Train against a real Kafka broker and a real S3 server, with a recording stand-in for tracking-svc. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingServerResource.class)
class TrainStageTest {

    static final Duration TIMEOUT = Duration.ofSeconds(120);
    static TitanicData titanic;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.tracking.url")
    URI trackingUrl;

    @ConfigProperty(name = "mp.messaging.incoming.\"mlops.preprocess.completed\".max.poll.interval.ms")
    long maxPollIntervalMs;

    @Inject
    ArtifactStore store;

    @BeforeAll
    static void prepareData() {
        titanic = TitanicData.publishedSplit();
    }

    @Test
    void trainsTheBestCandidateAndStoresAModelThatPredicts() throws Exception {
        String runId = UUID.randomUUID().toString();
        String modelName = "rf-" + runId.substring(0, 8);
        PipelineSpec spec = spec(modelName, 3, new PipelineSpec.Grid(List.of(20, 40), Arrays.asList(null, 5),
                List.of(2), List.of(1, 4)));

        StageEvent completed = runTrain(runId, spec, titanicInputs(runId));

        assertThat(completed.stage()).isEqualTo("train");
        assertThat(completed.params()).containsEntry("model_name", modelName).containsEntry("model_version", "1")
                .containsKeys("n_estimators", "max_depth", "min_samples_split", "min_samples_leaf");
        assertThat(completed.params().get("max_depth")).isIn("None", "5");
        assertThat(completed.metrics()).containsEntry("grid_candidates", 8.0).containsKey("grid_search_seconds");
        assertThat(completed.metrics().get("best_cv_score")).isBetween(0.75, 0.9);

        // the bundle as an evaluate or serving stage would load it from S3
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of("model/model.bin", "model/preprocessor.json", "model/signature.json",
                "model/metadata.json", "model/MLmodel")) {
            assertThat(completed.artifacts().get(name))
                    .isEqualTo("s3://mlops-artifacts/runs/" + runId + "/" + name);
            files.put(name, store.read(URI.create(completed.artifact(name))));
        }
        ModelBundle bundle = ModelBundle.fromFiles(files);
        double testAccuracy = ClassificationMetrics.of(titanic.testY(), bundle.predict(titanic.testX()),
                bundle.classLabels()).accuracy();
        assertThat(testAccuracy).isGreaterThan(0.75);
        assertThat(bundle.predictRaw(passenger("1", "female", 29, 80))).isEqualTo("1");
        assertThat(bundle.predictRaw(passenger("3", "male", 30, 8))).isEqualTo("0");
        assertThat(bundle.model().hyperParameters()).isEqualTo(Map.of(
                "n_estimators", completed.params().get("n_estimators"), "max_depth", completed.params().get("max_depth"),
                "min_samples_split", completed.params().get("min_samples_split"),
                "min_samples_leaf", completed.params().get("min_samples_leaf")));
        assertThat(bundle.metadata()).containsEntry("run_id", runId).containsEntry("attempt", "1")
                .containsEntry("smile_version", "3.1.1").containsKeys("created_at", "java_version")
                .containsEntry("feature_names", Json.write(titanic.preprocessor().featureNames()));

        CsvTable cvResults = CsvTable.parse(store.read(URI.create(completed.artifact("model/cv_results.csv"))));
        assertThat(cvResults.rows()).hasSize(8);
        assertThat(cvResults.column("mean_test_score").stream().mapToDouble(Double::parseDouble).max().orElseThrow())
                .isEqualTo(completed.metrics().get("best_cv_score"));

        List<StageStatusEvent> progress = kafka().awaitAll(Topics.STAGE_STATUS,
                        r -> runId.equals(r.key()) && r.value().contains("\"PROGRESS\""), 1, TIMEOUT).stream()
                .map(r -> EventJson.readStatusEvent(r.value())).toList();
        assertThat(progress).allSatisfy(p -> assertThat(p.progress().total()).isEqualTo(8));
        List<StageStatusEvent> allProgress = kafka().awaitAll(Topics.STAGE_STATUS,
                        r -> runId.equals(r.key()) && r.value().contains("\"done\":8"), 1, TIMEOUT).stream()
                .map(r -> EventJson.readStatusEvent(r.value())).toList();
        assertThat(allProgress.get(0).stage()).isEqualTo("train");
    }

    @Test
    void registersTheModelDirectoryAndLogsEveryCandidatesScore() {
        String runId = UUID.randomUUID().toString();
        String modelName = "rf-" + runId.substring(0, 8);
        PipelineSpec spec = spec(modelName, 3, new PipelineSpec.Grid(List.of(10, 20, 30), Arrays.asList((Integer) null),
                List.of(2), List.of(1)));

        StageEvent completed = runTrain(runId, spec, titanicInputs(runId));

        List<RecordingTrackingServer.Request> registrations = RecordingTrackingServer.recordedAt(trackingUrl).stream()
                .filter(r -> r.path().equals("/models/" + modelName + "/versions")).toList();
        assertThat(registrations).hasSize(1);
        JsonNode registration = registrations.get(0).json();
        assertThat(registration.get("runId").asText()).isEqualTo(runId);
        assertThat(registration.get("artifactUri").asText()).isEqualTo("s3://mlops-artifacts/runs/" + runId + "/model");
        assertThat(registration.get("attempt").asInt()).isEqualTo(1);
        assertThat(completed.params()).containsEntry("model_version", "1");

        List<RecordingTrackingServer.Request> batches = RecordingTrackingServer.recordedAt(trackingUrl).stream()
                .filter(r -> r.path().equals("/pipelines/" + runId + "/log-batch")).toList();
        assertThat(batches).hasSize(1);
        List<Double> history = new ArrayList<>();
        for (JsonNode metric : batches.get(0).json().get("metrics")) {
            if (metric.get("key").asText().equals("cv_mean_test_score")) {
                assertThat(metric.get("step").asInt()).isEqualTo(history.size());
                history.add(metric.get("value").asDouble());
            }
        }
        assertThat(history).hasSize(3).contains(completed.metrics().get("best_cv_score"));
    }

    @Test
    void shareTreesFalseFitsEveryCandidateAfreshThroughTheSameStageAndSaysSo() {
        // input: one grid trained with trees shared (the default) and with shareTrees false
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(10, 30), Arrays.asList(null, 4), List.of(2), List.of(1));
        String sharedRunId = UUID.randomUUID().toString();
        StageEvent shared = runTrain(sharedRunId, spec("rf-" + sharedRunId.substring(0, 8), 3, grid),
                titanicInputs(sharedRunId));
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 3, grid);
        PipelineSpec unshared = new PipelineSpec(spec.name(), spec.dataset(), spec.target(), spec.task(),
                spec.features(), spec.split(), new PipelineSpec.Model(spec.model().name(), spec.model().type(),
                spec.model().cv(), grid, false), spec.gate(), spec.deploy());

        StageEvent completed = runTrain(runId, unshared, titanicInputs(runId));

        assertThat(shared.params()).containsEntry("shared_trees", "true");
        assertThat(completed.params()).containsEntry("shared_trees", "false").containsEntry("model_version", "1")
                .containsKeys("n_estimators", "max_depth", "model_uri");
        List<String> sharedScores = cvResults(shared).column("mean_test_score");
        List<String> freshScores = cvResults(completed).column("mean_test_score");
        assertThat(freshScores.stream().mapToDouble(Double::parseDouble).max().orElseThrow())
                .isEqualTo(completed.metrics().get("best_cv_score"));
        // candidates in ParameterGrid order: (None, 10), (None, 30), (4, 10), (4, 30)
        assertThat(List.of(freshScores.get(0), freshScores.get(2))).as("a group's smallest forest is a fresh fit in both")
                .isEqualTo(List.of(sharedScores.get(0), sharedScores.get(2)));
        assertThat(List.of(freshScores.get(1), freshScores.get(3))).as("the 30-tree forests are other forests")
                .isNotEqualTo(List.of(sharedScores.get(1), sharedScores.get(3)));
        assertThat(completed.artifacts()).containsKeys("model/model.bin", "model/metadata.json");
    }

    @Test
    void aGridSearchLongerThanMaxPollIntervalIsTrainedOnce() {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 3, new PipelineSpec.Grid(List.of(1500, 3000),
                Arrays.asList(null, 8), List.of(2), List.of(1, 3)));

        StageEvent completed = runTrain(runId, spec, titanicInputs(runId));

        assertThat(completed.metrics().get("grid_search_seconds") * 1000)
                .as("the consumer's max.poll.interval.ms is lowered for the tests so this grid outlasts it")
                .isGreaterThan(maxPollIntervalMs);
        // a consumer that stopped polling would be dropped from its group and the event delivered again
        assertThatThrownBy(() -> kafka().awaitAll(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"STARTED\""), 2, Duration.ofSeconds(8)))
                .isInstanceOf(AssertionError.class).hasMessageContaining("found 1 of 2");
    }

    @Test
    void moreFoldsThanTheSmallestClassHasRowsFailsNamingTheClass() {
        String runId = UUID.randomUUID().toString();
        Map<String, String> inputs = smallInputs(runId, 17, 3);
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 5, new PipelineSpec.Grid(List.of(10),
                Arrays.asList((Integer) null), List.of(2), List.of(1)));

        assertThat(failureOf(runId, spec, inputs))
                .isEqualTo("cv=5 but class '1' has only 3 rows: every class needs at least one row per fold");
    }

    @Test
    void republishedEventWithAnInvalidGridValueFails() {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 3, new PipelineSpec.Grid(List.of(10),
                Arrays.asList((Integer) null), List.of(1), List.of(1)));

        assertThat(failureOf(runId, spec, titanicInputs(runId)))
                .contains("invalid pipeline spec")
                .contains("model.grid.min_samples_split values must be between 2 and 100000, got 1");
    }

    @Test
    void anInjectedGridOf46340By46340CandidatesFailsNamingTheLimitAndTheConsumerGoesOn() {
        // input: an injected preprocess.completed event whose grid is n_estimators 1..46340 × max_depth 1..46340
        // (2,147,395,600 candidates, which once overflowed the count and ran train-svc out of memory)
        String runId = UUID.randomUUID().toString();
        List<Integer> values = IntStream.rangeClosed(1, 46_340).boxed().toList();
        PipelineSpec huge = spec("rf-" + runId.substring(0, 8), 3, new PipelineSpec.Grid(values, values, List.of(2),
                List.of(1)));

        assertThat(failureOf(runId, huge, titanicInputs(runId))).isEqualTo("invalid pipeline spec in the input event:"
                + " model.grid has 2147395600 candidates × 3 folds = 6442186800 fits, over the limit of 10000"
                + " (mlops.limits.max-candidate-fits)");

        // the same consumer trains the next run
        String nextRunId = UUID.randomUUID().toString();
        StageEvent next = runTrain(nextRunId, spec("rf-" + nextRunId.substring(0, 8), 3, new PipelineSpec.Grid(
                List.of(10), Arrays.asList((Integer) null), List.of(2), List.of(1))), titanicInputs(nextRunId));
        assertThat(next.metrics()).containsEntry("grid_candidates", 1.0);
    }

    @Test
    void eventWithoutPreprocessOutputsFailsNamingTheMissingArtifact() {
        String runId = UUID.randomUUID().toString();
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 3, new PipelineSpec.Grid(List.of(10),
                Arrays.asList((Integer) null), List.of(2), List.of(1)));

        assertThat(failureOf(runId, spec, Map.of("raw/data.csv", "s3://mlops-artifacts/runs/" + runId + "/raw/data.csv")))
                .contains("carries no artifact 'preprocess/preprocessor.json'");
    }

    @Test
    void featureColumnsThatAreNotThePreprocessorsFailTheStage() {
        String runId = UUID.randomUUID().toString();
        Map<String, String> inputs = new LinkedHashMap<>(titanicInputs(runId));
        List<String> otherNames = new ArrayList<>(titanic.preprocessor().featureNames());
        otherNames.set(0, "num__Height");
        inputs.put("preprocess/X_train.csv", store.put(runId, "preprocess/X_train.csv",
                FeatureTable.toCsv(titanic.train().x(), otherNames).toBytes(), "text/csv").toString());
        PipelineSpec spec = spec("rf-" + runId.substring(0, 8), 3, new PipelineSpec.Grid(List.of(10),
                Arrays.asList((Integer) null), List.of(2), List.of(1)));

        assertThat(failureOf(runId, spec, inputs))
                .startsWith("preprocess/X_train.csv: ")
                .contains("num__Height");
    }

    @Test
    void aRunKilledInTheMiddleOfItsGridSearchResumesFromItsCheckpointAndEndsAsAnUninterruptedRun() {
        // input: preprocess.completed for a run whose train attempt 1 was killed after k candidates, their scores
        // kept in S3 under runs/<runId>/train/checkpoint/attempt-1/ by the interrupted search
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(10, 20, 30), Arrays.asList(null, 5), List.of(2),
                List.of(1, 3));
        String referenceRunId = UUID.randomUUID().toString();
        StageEvent reference = runTrain(referenceRunId, spec("rf-" + referenceRunId.substring(0, 8), 3, grid),
                titanicInputs(referenceRunId));

        String runId = UUID.randomUUID().toString();
        StageEvent event = event(runId, spec("rf-" + runId.substring(0, 8), 3, grid), titanicInputs(runId));
        TrainingSet training = TrainingInputs.read(event, store).training();
        List<ForestParams> candidates = ParamGrid.candidates(grid);
        StoredCheckpoint interrupted = StoredCheckpoint.open(store, event, training, candidates, 3, TitanicData.SEED,
                Duration.ZERO);
        assertThatThrownBy(() -> new GridSearch(1).run(training, candidates, 3, TitanicData.SEED, (done, total) -> {
            throw new IllegalStateException("killed");
        }, interrupted)).hasMessageContaining("killed");
        StoredCheckpoint kept = StoredCheckpoint.open(store, event, training, candidates, 3, TitanicData.SEED,
                Duration.ZERO);
        int k = kept.restored().size();
        assertThat(k).as("candidates kept before the kill").isBetween(3, 9);

        publish(event);
        StageEvent completed = EventJson.readStageEvent(kafka().await("mlops.train.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());

        assertThat(withoutFitTimes(cvResults(completed)))
                .isEqualTo(withoutFitTimes(cvResults(reference)));
        for (String param : List.of("n_estimators", "max_depth", "min_samples_split", "min_samples_leaf")) {
            assertThat(completed.params().get(param)).isEqualTo(reference.params().get(param));
        }
        assertThat(completed.metrics().get("best_cv_score")).isEqualTo(reference.metrics().get("best_cv_score"));
        assertThat(completed.metrics().get("best_cv_std")).isEqualTo(reference.metrics().get("best_cv_std"));
        List<String> fitTimes = cvResults(completed).column("mean_fit_seconds");
        kept.restored().forEach((candidate, score) -> assertThat(fitTimes.get(candidate))
                .as("candidate %d is taken from the checkpoint, not grown again", candidate)
                .isEqualTo(String.format(Locale.ROOT, "%.4f", score.meanFitSeconds())));

        List<Integer> progress = kafka().awaitAll(Topics.STAGE_STATUS,
                        r -> runId.equals(r.key()) && r.value().contains("\"PROGRESS\""), 1, TIMEOUT).stream()
                .map(r -> EventJson.readStatusEvent(r.value()).progress().done()).toList();
        assertThat(progress.get(0)).as("progress starts from the resumed count").isEqualTo(k);

        // the history carries the interrupted search's start time: logged again, tracking-svc keeps one point per
        // (run, key, step, timestamp), so a run resumed after its history was sent gets no second copy
        List<RecordingTrackingServer.Request> batches = RecordingTrackingServer.recordedAt(trackingUrl).stream()
                .filter(r -> r.path().equals("/pipelines/" + runId + "/log-batch")).toList();
        assertThat(batches).hasSize(1);
        JsonNode metrics = batches.get(0).json().get("metrics");
        assertThat(metrics).hasSize(2 * candidates.size())
                .allSatisfy(m -> assertThat(m.get("timestamp").asLong()).isEqualTo(kept.startedAtMillis()));
    }

    @Test
    void aCheckpointOfAnotherGridIsIgnored() {
        // input: a kept checkpoint for this run and attempt whose fingerprint is another search's, claiming a
        // perfect score for every candidate
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(10, 20), Arrays.asList((Integer) null), List.of(2),
                List.of(1));
        String runId = UUID.randomUUID().toString();
        List<ForestParams> candidates = ParamGrid.candidates(grid);
        StoredCheckpoint other = StoredCheckpoint.open(store, runId, 1, "another grid", candidates, 3, Duration.ZERO);
        other.scored(Map.of(0, new CandidateScore(candidates.get(0), new double[]{1, 1, 1}, 0),
                1, new CandidateScore(candidates.get(1), new double[]{1, 1, 1}, 0)));
        assertThat(StoredCheckpoint.open(store, runId, 1, "another grid", candidates, 3, Duration.ZERO).restored())
                .as("kept as written").hasSize(2);

        StageEvent completed = runTrain(runId, spec("rf-" + runId.substring(0, 8), 3, grid), titanicInputs(runId));

        assertThat(completed.metrics().get("best_cv_score")).as("scored, not taken from the checkpoint")
                .isBetween(0.7, 0.9);
        assertThat(cvResults(completed).column("split0_test_score")).doesNotContain("1.0");
    }

    @Test
    void gradientBoostingAndLogisticRegressionTrainThroughTheSameStageAndPredict() {
        for (String type : List.of(ModelTypes.GRADIENT_BOOSTING, ModelTypes.LOGISTIC_REGRESSION)) {
            String runId = UUID.randomUUID().toString();
            PipelineSpec.Grid grid = ModelTypes.GRADIENT_BOOSTING.equals(type)
                    ? new PipelineSpec.Grid(Map.of("n_estimators", List.of(50, 100), "max_depth", List.of(2, 3)))
                    : new PipelineSpec.Grid(Map.of("C", List.of(0.1, 1.0)));
            StageEvent completed = runTrain(runId, spec(type, null, grid), titanicInputs(runId));

            assertThat(completed.params()).as(type).containsEntry("model_type", type)
                    .containsEntry("task", "classification");
            assertThat(completed.metrics()).containsEntry("grid_candidates",
                    ModelTypes.GRADIENT_BOOSTING.equals(type) ? 4.0 : 2.0);
            ModelBundle bundle = bundle(completed);
            double testAccuracy = ClassificationMetrics.of(titanic.testY(), bundle.predict(titanic.testX()),
                    bundle.classLabels()).accuracy();
            System.out.printf("train-svc, %s on Titanic: best CV accuracy %.4f, test accuracy %.4f, params %s%n", type,
                    completed.metrics().get("best_cv_score"), testAccuracy, bundle.model().hyperParameters());
            assertThat(testAccuracy).as(type).isGreaterThan(0.74);
            assertThat(bundle.predictRaw(passenger("1", "female", 29, 80))).isEqualTo("1");
            assertThat(bundle.metadata()).containsEntry("model_type", type).containsEntry("task", "classification");
            CsvTable cv = cvResults(completed);
            assertThat(cv.header()).containsAll(bundle.model().hyperParameters().keySet());
            assertThat(cv.column("mean_test_score").stream().mapToDouble(Double::parseDouble).max().orElseThrow())
                    .isEqualTo(completed.metrics().get("best_cv_score"));
        }
    }

    @Test
    void aRegressionRunLearnsAKnownRelationScoredByR2OnUnshuffledFolds() {
        // input: preprocess's artifacts for y = 3a - 2b + noise, task regression (what preprocess recorded)
        String runId = UUID.randomUUID().toString();
        java.util.Random random = new java.util.Random(11);
        List<List<String>> rows = new ArrayList<>();
        List<String> y = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            double a = random.nextDouble() * 10;
            double b = random.nextDouble() * 5;
            rows.add(List.of(Double.toString(a), Double.toString(b)));
            y.add(Double.toString(3 * a - 2 * b + random.nextGaussian() * 0.5));
        }
        CsvTable raw = new CsvTable(List.of("a", "b"), rows);
        PipelineSpec.Features features = new PipelineSpec.Features(List.of("a", "b"), List.of());
        Preprocessor preprocessor = Preprocessor.fit(raw, features);
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("preprocess/X_train.csv", put(runId, "preprocess/X_train.csv",
                FeatureTable.toCsv(preprocessor.transform(raw), preprocessor.featureNames()).toBytes()));
        artifacts.put("preprocess/y_train.csv", put(runId, "preprocess/y_train.csv", new LabelColumn("y", y).toBytes()));
        artifacts.put("preprocess/preprocessor.json", put(runId, "preprocess/preprocessor.json",
                preprocessor.toJson().getBytes()));
        PipelineSpec spec = spec(ModelTypes.GRADIENT_BOOSTING, PipelineSpec.REGRESSION,
                new PipelineSpec.Grid(Map.of("n_estimators", List.of(50, 200))));
        spec = new PipelineSpec(spec.name(), spec.dataset(), "y", spec.task(), features, spec.split(), spec.model(),
                spec.gate(), spec.deploy());
        publish(new StageEvent(StageEvent.SCHEMA_VERSION, runId, "preprocess", 1, spec, artifacts, Map.of(),
                Map.of("task", "regression"), Instant.now()));
        StageEvent completed = EventJson.readStageEvent(kafka().await("mlops.train.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());

        assertThat(completed.params()).containsEntry("task", "regression").containsEntry("n_estimators", "200");
        assertThat(completed.metrics().get("best_cv_score")).as("mean CV R²").isGreaterThan(0.95);
        ModelBundle bundle = bundle(completed);
        assertThat(bundle.regression()).isTrue();
        assertThat(bundle.classLabels()).isEmpty();
        assertThat(Double.parseDouble(bundle.predictRaw(Map.of("a", 5.0, "b", 2.0)))).isCloseTo(11.0, within(1.0));
    }

    @Test
    void aRegressionTargetThatIsNotNumericFailsTheStageNamingTheRow() {
        // input: y_train with a word in it, for a run preprocess recorded as a regression
        String runId = UUID.randomUUID().toString();
        Map<String, String> artifacts = new LinkedHashMap<>(titanicInputs(runId));
        List<String> labels = new ArrayList<>(Arrays.stream(titanic.train().y()).mapToObj(Integer::toString).toList());
        labels.set(3, "lots");
        artifacts.put("preprocess/y_train.csv", put(runId, "preprocess/y_train.csv",
                new LabelColumn("Survived", labels).toBytes()));
        publish(new StageEvent(StageEvent.SCHEMA_VERSION, runId, "preprocess", 1,
                spec(ModelTypes.RANDOM_FOREST, PipelineSpec.REGRESSION, PipelineSpec.defaults("x").model().grid()),
                artifacts, Map.of(), Map.of("task", "regression"), Instant.now()));
        StageStatusEvent failed = EventJson.readStatusEvent(kafka().await(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"FAILED\""), TIMEOUT).value());
        assertThat(failed.error()).contains("row 4 holds 'lots', not a number");
        assertThat(store.exists(URI.create(dev.mlops.common.store.ArtifactUri.forRun(store.bucket(), runId,
                "model/model.bin").toString()))).as("no model stored").isFalse();
    }

    private ModelBundle bundle(StageEvent completed) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : ModelBundle.REQUIRED_FILES) {
            files.put(name, store.read(URI.create(completed.artifact(name))));
        }
        return ModelBundle.fromFiles(files);
    }

    private CsvTable cvResults(StageEvent completed) {
        return CsvTable.parse(store.read(URI.create(completed.artifact(TrainService.CV_RESULTS))));
    }

    private Map<String, String> titanicInputs(String runId) {
        return titanic.storeInputs(store, runId);
    }

    /** Titanic training rows: the first {@code died} who died and the first {@code survived} who survived. */
    private Map<String, String> smallInputs(String runId, int died, int survived) {
        List<double[]> x = new ArrayList<>();
        List<String> y = new ArrayList<>();
        int[] wanted = {died, survived};
        for (int i = 0; i < titanic.train().rows(); i++) {
            int label = titanic.train().y()[i];
            if (wanted[label] > 0) {
                wanted[label]--;
                x.add(titanic.train().x()[i]);
                y.add(titanic.train().classLabels().get(label));
            }
        }
        Map<String, String> artifacts = new LinkedHashMap<>(titanicInputs(runId));
        artifacts.put("preprocess/X_train.csv", put(runId, "preprocess/X_train.csv",
                FeatureTable.toCsv(x.toArray(double[][]::new), titanic.preprocessor().featureNames()).toBytes()));
        artifacts.put("preprocess/y_train.csv", put(runId, "preprocess/y_train.csv",
                new LabelColumn("Survived", y).toBytes()));
        return artifacts;
    }

    private String put(String runId, String path, byte[] content) {
        return store.put(runId, path, content, "text/plain").toString();
    }

    private static PipelineSpec spec(String modelName, int folds, PipelineSpec.Grid grid) {
        return TitanicData.forestSpec(modelName, folds, grid);
    }

    /** A Titanic spec of {@code type} with {@code grid} (the type's defaults for what it leaves out). */
    private static PipelineSpec spec(String type, String task, PipelineSpec.Grid grid) {
        PipelineSpec d = PipelineSpec.defaults("file:" + TitanicData.csv());
        return new PipelineSpec(d.name(), d.dataset(), d.target(), task, d.features(),
                new PipelineSpec.Split(0.2, TitanicData.SEED, PipelineSpec.FIT_ON_ALL, false),
                new PipelineSpec.Model("m-" + UUID.randomUUID().toString().substring(0, 8), type, 3,
                        ModelTypes.withDefaults(type, grid)), d.gate(), d.deploy());
    }

    private static Map<String, Object> passenger(String pclass, String sex, double age, double fare) {
        return Map.of("Pclass", pclass, "Sex", sex, "Age", age, "Fare", fare,
                "Siblings/Spouses Aboard", 0, "Parents/Children Aboard", 0);
    }

    private StageEvent runTrain(String runId, PipelineSpec spec, Map<String, String> artifacts) {
        publish(runId, spec, artifacts);
        ConsumerRecord<String, String> record = kafka().await("mlops.train.completed", r -> runId.equals(r.key()), TIMEOUT);
        return EventJson.readStageEvent(record.value());
    }

    private String failureOf(String runId, PipelineSpec spec, Map<String, String> artifacts) {
        publish(runId, spec, artifacts);
        ConsumerRecord<String, String> record = kafka().await(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"FAILED\""), TIMEOUT);
        StageStatusEvent failed = EventJson.readStatusEvent(record.value());
        assertThat(failed.stage()).isEqualTo("train");
        return failed.error();
    }

    private void publish(String runId, PipelineSpec spec, Map<String, String> artifacts) {
        publish(event(runId, spec, artifacts));
    }

    private static StageEvent event(String runId, PipelineSpec spec, Map<String, String> artifacts) {
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "preprocess", 1, spec, artifacts, Map.of(), Map.of(),
                Instant.now());
    }

    private void publish(StageEvent event) {
        String runId = event.runId();
        kafka().send("mlops.preprocess.completed", runId, Json.write(event),
                Map.of("ce_type", "mlops.preprocess.completed", "ce_subject", runId));
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
