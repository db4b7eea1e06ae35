package dev.mlops.evaluate.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.InvalidBundleException;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the run's model bundle and test split, stores metrics, report and confusion matrix under evaluate/,
 * and fails the stage when the model is below the quality gate. With {@code gate.mustBeatProduction} the production
 * model is scored too and the run's params say whether this model is released ({@link ChampionChallenger}).
 */
@ApplicationScoped
public class EvaluateService {

    public static final String X_TEST = "preprocess/X_test.csv";
    public static final String Y_TEST = "preprocess/y_test.csv";
    public static final String MODEL_PREFIX = "model/";
    public static final String METRICS = "evaluate/metrics.json";
    public static final String REPORT = "evaluate/classification_report.txt";
    public static final String CONFUSION_MATRIX = "evaluate/confusion_matrix.txt";

    private final ArtifactStore store;
    private final ChampionChallenger champion;

    public EvaluateService(ArtifactStore store, ChampionChallenger champion) {
        this.store = store;
        this.champion = champion;
    }

    public StageResult evaluate(StageEvent input) {
        double minAccuracy = input.spec().gate().minAccuracy(); // the stage runner filled in the defaults
        ModelBundle bundle = loadBundle(input);
        CsvTable xTest;
        LabelColumn yTest;
        try {
            xTest = CsvTable.parse(read(input, X_TEST));
            yTest = LabelColumn.parse(read(input, Y_TEST));
        } catch (CsvFormatException e) {
            throw new StageFailure("the test split is not readable CSV: " + e.getMessage());
        }
        ClassificationMetrics metrics = ModelEvaluation.evaluate(bundle, xTest, yTest);

        String runId = input.runId();
        Map<String, Object> document = new LinkedHashMap<>(metrics.toMap());
        document.put("gate", Map.of("min_accuracy", minAccuracy, "passed", metrics.accuracy() >= minAccuracy));
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(METRICS, put(runId, METRICS, prettyJson(document), "application/json"));
        artifacts.put(REPORT, put(runId, REPORT, metrics.report(), "text/plain"));
        artifacts.put(CONFUSION_MATRIX, put(runId, CONFUSION_MATRIX, metrics.confusionMatrixText(), "text/plain"));
        ModelEvaluation.checkGate(metrics, minAccuracy, artifacts.get(REPORT));

        Map<String, Double> runMetrics = new LinkedHashMap<>(ModelEvaluation.runMetrics(metrics));
        Map<String, String> params = new LinkedHashMap<>(Map.of("gate_min_accuracy", String.valueOf(minAccuracy),
                "test_rows", String.valueOf(metrics.support())));
        if (Boolean.TRUE.equals(input.spec().gate().mustBeatProduction())) {
            ChampionChallenger.Decision decision = champion.decide(input, runMetrics);
            runMetrics.putAll(decision.metrics());
            params.putAll(decision.params());
            document.put("release", decision.document());
            artifacts.put(METRICS, put(runId, METRICS, prettyJson(document), "application/json"));
        }
        return new StageResult(artifacts, runMetrics, params);
    }

    private ModelBundle loadBundle(StageEvent input) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        input.artifacts().forEach((name, uri) -> {
            if (name.startsWith(MODEL_PREFIX)) {
                files.put(name, InputArtifacts.read(store, input, name, "evaluate"));
            }
        });
        try {
            return ModelBundle.fromFiles(files);
        } catch (InvalidBundleException e) {
            throw new StageFailure("cannot load the model of run " + input.runId() + ": " + e.getMessage());
        }
    }

    private byte[] read(StageEvent input, String artifact) {
        return InputArtifacts.read(store, input, artifact, "evaluate");
    }

    private String put(String runId, String path, String content, String contentType) {
        return store.put(runId, path, content.getBytes(StandardCharsets.UTF_8), contentType).toString();
    }

    private static String prettyJson(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
