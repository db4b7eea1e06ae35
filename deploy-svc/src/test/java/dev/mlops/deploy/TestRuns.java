package dev.mlops.deploy;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.testing.KafkaTestClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Real runs for the deploy tests: forests trained on the shipped Titanic CSV with model-core, the bundle and the
 * test split stored in S3 as train and preprocess store them, and the image.completed event naming them.
 */
final class TestRuns {

    static final Path TITANIC = Path.of("../data/titanic.csv").toAbsolutePath().normalize();
    /** Longer than mlops.deploy.local.start-timeout (120 s), so that a model-server that never starts shows as FAILED. */
    static final Duration TIMEOUT = Duration.ofSeconds(150);
    static final String MODEL_NAME = "titanic-rf";
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The model of one run and its test split. */
    record TrainedModel(ModelBundle bundle, double[][] xTest, List<String> yTest) {

        Map<String, byte[]> files() {
            Map<String, byte[]> files = new LinkedHashMap<>(bundle.toFiles());
            files.put("preprocess/X_test.csv", FeatureTable.toCsv(xTest, bundle.preprocessor().featureNames()).toBytes());
            files.put("preprocess/y_test.csv", new LabelColumn("Survived", yTest).toBytes());
            return files;
        }

        List<String> predictions() {
            return Labels.decode(bundle.predict(xTest), bundle.classLabels());
        }

        double accuracy() {
            List<String> predicted = predictions();
            int correct = 0;
            for (int i = 0; i < yTest.size(); i++) {
                correct += predicted.get(i).equals(yTest.get(i)) ? 1 : 0;
            }
            return (double) correct / yTest.size();
        }
    }

    private TestRuns() {
    }

    static TrainedModel train(ForestParams params, long seed) {
        CsvTable raw;
        try {
            raw = CsvTable.parse(Files.readAllBytes(TITANIC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PipelineSpec.Features features = PipelineSpec.defaults("file:" + TITANIC).features();
        Preprocessor preprocessor = Preprocessor.fit(raw, features);
        double[][] x = preprocessor.transform(raw);
        List<String> labels = raw.column("Survived");
        List<String> classes = Labels.classLabels(labels);
        TrainTestSplit split = TrainTestSplit.shuffle(x.length, 0.2, 42);
        double[][] xTrain = Arrays.stream(split.train()).mapToObj(i -> x[i]).toArray(double[][]::new);
        int[] yTrain = Labels.encode(Arrays.stream(split.train()).mapToObj(labels::get).toList(), classes);
        double[][] xTest = Arrays.stream(split.test()).mapToObj(i -> x[i]).toArray(double[][]::new);
        List<String> yTest = Arrays.stream(split.test()).mapToObj(labels::get).toList();
        RandomForestClassifier forest = RandomForestClassifier.fit(xTrain, yTrain, params, seed);
        return new TrainedModel(ModelBundle.of(forest, preprocessor, "Survived", classes,
                Map.of("model_name", MODEL_NAME)), xTest, yTest);
    }

    static TrainedModel modelA() {
        return train(new ForestParams(25, 6, 2, 1), 42);
    }

    /** Another forest: shallow and small, so it predicts differently from {@link #modelA()} on some rows. */
    static TrainedModel modelB() {
        return train(new ForestParams(3, 2, 2, 1), 7);
    }

    /** Stores the model's files for {@code runId} (under runs/<runId>/model/ and preprocess/); name -> s3 URI. */
    static Map<String, String> store(ArtifactStore store, String runId, TrainedModel model) {
        return store(store, runId, "", model);
    }

    /** The model's files stored under runs/<runId>/<folder>, named as usual (model/model.bin ...) in the answer. */
    static Map<String, String> store(ArtifactStore store, String runId, String folder, TrainedModel model) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        model.files().forEach((name, content) -> artifacts.put(name, store.put(runId, folder + name, content,
                "application/octet-stream").toString()));
        return artifacts;
    }

    static StageEvent imageCompleted(String runId, Map<String, String> artifacts, String target,
                                     Map<String, String> params) {
        PipelineSpec defaults = PipelineSpec.defaults("file:" + TITANIC);
        PipelineSpec spec = new PipelineSpec(defaults.name(), defaults.dataset(), defaults.target(), defaults.features(),
                defaults.split(), defaults.model(), defaults.gate(), new PipelineSpec.Deploy(target));
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "image", 1, spec, artifacts, Map.of(), params,
                Instant.now());
    }

    static String newRunId() {
        return UUID.randomUUID().toString();
    }

    static void publish(KafkaTestClient kafka, StageEvent event) {
        kafka.publish(event);
    }

    /** The deploy's completed event; when there is none, the failure names the deploy's error if it reported one. */
    static StageEvent awaitCompleted(KafkaTestClient kafka, String runId) {
        try {
            return kafka.awaitCompleted(Stage.DEPLOY, runId, TIMEOUT);
        } catch (AssertionError none) {
            String failure;
            try {
                failure = "the deploy FAILED: " + kafka.awaitFailed(Stage.DEPLOY, runId, Duration.ofSeconds(2)).error();
            } catch (AssertionError noFailureEither) {
                failure = "the deploy reported no failure either";
            }
            throw new AssertionError("run " + runId + " was not deployed: " + none.getMessage() + "; " + failure, none);
        }
    }

    static String awaitFailure(KafkaTestClient kafka, String runId) {
        return kafka.awaitFailed(Stage.DEPLOY, runId, TIMEOUT).error();
    }

    /** The test rows as a dataframe_split request body. */
    static String dataframeSplit(TrainedModel model, int from, int to) {
        Map<String, Object> split = new LinkedHashMap<>();
        split.put("columns", model.bundle().preprocessor().featureNames());
        List<double[]> rows = new ArrayList<>(Arrays.asList(model.xTest()).subList(from, to));
        split.put("data", rows);
        return Json.write(Map.of("dataframe_split", split));
    }

    static HttpResponse<String> post(String url, String json) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The labels of a /invocations answer, as text. */
    static List<String> predictions(String body) {
        List<String> labels = new ArrayList<>();
        Json.tree(body).path("predictions").forEach(p -> labels.add(p.asText()));
        return labels;
    }

    static Path modelServerJar() {
        Path jar = Path.of("../model-server/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the deploy tests run a real model-server, but " + jar + " does not exist:"
                    + " build it first (./mvnw -pl model-server package)");
        }
        return jar;
    }
}
