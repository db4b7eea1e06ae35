package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.metrics.ClassificationMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs through every packaged service, real Kafka, PostgreSQL and S3: what a user gets from POST /pipelines. */
@ExtendWith(LocalPlatform.class)
class PipelineIT {

    /** Inside the file roots ./mlops up gives ingest (the repository's data folder), and not there. */
    static final Path MISSING = LocalPlatform.HOME.resolve("data/nonexistent-titanic.csv");

    /** The published workflow (preprocessor fitted on all rows) with a grid around its best candidate. */
    static final String PUBLISHED_SMALL_GRID = """
            {"split": {"fitOn": "all"},
             "model": {"grid": {"n_estimators": [200], "max_depth": [10, null],
                                "min_samples_split": [5], "min_samples_leaf": [1]}},
             "deploy": {"target": "none"}}""";
    /** scikit-learn's test accuracy on the same split (../shared/reference, full grid). */
    static final double REFERENCE_ACCURACY = 0.808989;
    static final Duration RUN_TIMEOUT = Duration.ofMinutes(5);

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    void theDefaultDatasetRunsFromRawCsvToAnEvaluatedRegisteredModel() throws Exception {
        String runId = platform.tracking().startPipeline(PUBLISHED_SMALL_GRID);
        JsonNode run = platform.awaitEnd(runId, RUN_TIMEOUT);

        assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
        List<String> stages = new ArrayList<>();
        run.path("stages").forEach(stage -> {
            stages.add(stage.path("stage").asText());
            assertThat(stage.path("status").asText()).as(stage.toString()).isEqualTo("COMPLETED");
            assertThat(stage.path("durationMs").asLong()).as(stage.toString()).isPositive();
        });
        assertThat(stages).containsExactly("ingest", "preprocess", "train", "evaluate");

        byte[] shipped = Files.readAllBytes(LocalPlatform.HOME.resolve("data/titanic.csv"));
        assertThat(run.path("params").path("dataset_sha256").asText()).isEqualTo(sha256(shipped));
        assertThat(run.path("tags").path("mlops.platform.version").asText()).isNotBlank();
        assertThat(run.path("tags").has("mlops.source.git.commit")).isTrue();

        double accuracy = run.path("metrics").path("accuracy").asDouble();
        assertThat(accuracy).isGreaterThanOrEqualTo(REFERENCE_ACCURACY - 0.03);
        assertThat(run.path("metrics").path("best_cv_score").asDouble()).isBetween(0.7, 1.0);

        Map<String, String> artifacts = platform.artifacts(run);
        assertThat(artifacts).containsKeys("raw/data.csv", "preprocess/X_train.csv", "preprocess/X_test.csv",
                "preprocess/y_train.csv", "preprocess/y_test.csv", "preprocess/preprocessor.json",
                ModelBundle.MODEL_FILE, "evaluate/metrics.json", "evaluate/classification_report.txt",
                "evaluate/confusion_matrix.txt");

        ArtifactStore store = platform.artifacts();
        assertThat(store.read(URI.create(artifacts.get("raw/data.csv")))).isEqualTo(shipped);
        CsvTable xTrain = platform.csv(artifacts, "preprocess/X_train.csv");
        CsvTable xTest = platform.csv(artifacts, "preprocess/X_test.csv");
        assertThat(xTrain.rows()).hasSize(709);
        assertThat(xTest.rows()).hasSize(178);
        assertThat(xTest.header()).contains("num__Age", "cat__Sex_male", "cat__Pclass_3");

        // the registered version points at a bundle that loads and reproduces the evaluate stage's accuracy
        String modelName = run.path("spec").path("model").path("name").asText();
        JsonNode versions = platform.tracking().get("/models/" + modelName + "/versions").path("versions");
        JsonNode version = null;
        for (JsonNode v : versions) {
            if (runId.equals(v.path("runId").asText())) {
                version = v;
            }
        }
        assertThat(version).as("a version of %s registered for run %s: %s", modelName, runId, versions).isNotNull();
        assertThat(version.path("artifactUri").asText()).startsWith("s3://mlops-artifacts/runs/" + runId + "/model");
        ModelBundle bundle = platform.bundle(artifacts);
        double[][] features = LocalPlatform.features(xTest);
        LabelColumn yTest = LabelColumn.parse(store.read(URI.create(artifacts.get("preprocess/y_test.csv"))));
        int[] truth = yTest.values().stream().mapToInt(bundle.classLabels()::indexOf).toArray();
        ClassificationMetrics replayed = ClassificationMetrics.of(truth, bundle.predict(features), bundle.classLabels());
        assertThat(replayed.accuracy()).isEqualTo(accuracy);
    }

    @Test
    void aDatasetThatDoesNotExistFailsTheRunAtIngestSayingWhy() {
        String runId = platform.tracking().startPipeline(
                "{\"dataset\": {\"uri\": \"file:" + MISSING + "\"}, \"deploy\": {\"target\": \"none\"}}");
        JsonNode run = platform.awaitEnd(runId, RUN_TIMEOUT);

        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        JsonNode ingest = run.path("stages").get(0);
        assertThat(ingest.path("stage").asText()).isEqualTo("ingest");
        assertThat(ingest.path("status").asText()).isEqualTo("FAILED");
        assertThat(ingest.path("error").asText()).contains(MISSING.toString()).contains("does not exist");
        assertThat(run.path("stages").get(1).path("status").asText()).isEqualTo("PENDING");
    }

    @Test
    void aRunThatFailedAtIngestSucceedsWhenRetriedOnceTheDatasetIsThere() throws Exception {
        Path dataset = LocalPlatform.HOME.resolve("data/e2e-retry-" + System.nanoTime() + ".csv");
        String runId = platform.tracking().startPipeline("{\"dataset\": {\"uri\": \"file:" + dataset + "\"},"
                + " \"model\": {\"grid\": {\"n_estimators\": [20], \"max_depth\": [5]}}, \"deploy\": {\"target\": \"none\"}}");
        assertThat(platform.awaitEnd(runId, RUN_TIMEOUT).path("status").asText()).isEqualTo("FAILED");

        Files.copy(LocalPlatform.HOME.resolve("data/titanic.csv"), dataset);
        try {
            assertThat(platform.mlops().execute("retry", runId)).as("./mlops retry %s", runId).isZero();
        } finally {
            Files.delete(dataset);
        }

        JsonNode run = platform.tracking().run(runId);
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode ingest = run.path("stages").get(0);
        assertThat(ingest.path("attempts").findValuesAsText("status")).containsExactly("FAILED", "COMPLETED");
        assertThat(run.path("stages").get(2).path("attempt").asInt()).as("train's attempt").isEqualTo(2);
    }

    @Test
    void aDatasetOutsideTheAllowedFoldersIsRefusedAtIngest() {
        String runId = platform.tracking().startPipeline(
                "{\"dataset\": {\"uri\": \"file:/etc/passwd\"}, \"deploy\": {\"target\": \"none\"}}");
        JsonNode run = platform.awaitEnd(runId, RUN_TIMEOUT);

        assertThat(run.path("status").asText()).isEqualTo("FAILED");
        assertThat(run.path("stages").get(0).path("error").asText()).contains("/etc/passwd")
                .contains("outside the allowed file roots");
        assertThat(platform.artifacts(run)).isEmpty();
    }

    @Test
    void mlopsRunFollowsARunToItsEndAndExitsZero() throws Exception {
        Path spec = Files.createTempFile("tiny-grid", ".json");
        Files.writeString(spec, """
                {"model": {"cv": 3, "grid": {"n_estimators": [50], "max_depth": [5], "min_samples_split": [2],
                                             "min_samples_leaf": [1]}},
                 "deploy": {"target": "none"}}""");
        assertThat(platform.mlops().execute("run", spec.toString())).isZero();

        Files.writeString(spec, "{\"gate\": {\"minAccuracy\": 0.99}, \"model\": {\"grid\": {\"n_estimators\": [10],"
                + " \"max_depth\": [2], \"min_samples_split\": [2], \"min_samples_leaf\": [1]}},"
                + " \"deploy\": {\"target\": \"none\"}}");
        assertThat(platform.mlops().execute("run", spec.toString())).as("a run failing its quality gate").isEqualTo(1);
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }
}
