package dev.mlops.evaluate.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.bundle.InvalidBundleException;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads the run's model bundle and test split, stores metrics (and for a classifier the report and confusion matrix)
 * under evaluate/, and fails the stage when the model is below the quality gate: {@code gate.minAccuracy} for a
 * classifier, {@code gate.minR2} / {@code gate.maxRmse} for a regressor. A gate that does not fit the run's task
 * (possible only when the spec left the task to infer) is not applied, and metrics.json says so.
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

    public EvaluateService(ArtifactStore store) {
        this.store = store;
    }

    public StageResult evaluate(StageEvent input) {
        ModelBundle bundle = loadBundle(input);
        CsvTable xTest;
        LabelColumn yTest;
        try {
            xTest = CsvTable.parse(read(input, X_TEST));
            yTest = LabelColumn.parse(read(input, Y_TEST));
        } catch (CsvFormatException e) {
            throw new StageFailure("the test split is not readable CSV: " + e.getMessage());
        }
        if (bundle.regression()) {
            return evaluateRegression(input, bundle, xTest, yTest);
        }
        double minAccuracy = input.spec().gate().minAccuracy(); // the stage runner filled in the defaults
        ClassificationMetrics metrics = ModelEvaluation.evaluate(bundle, xTest, yTest);

        String runId = input.runId();
        Map<String, Object> document = new LinkedHashMap<>(metrics.toMap());
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("min_accuracy", minAccuracy);
        gate.put("passed", metrics.accuracy() >= minAccuracy);
        notApplied(input, "gate.minR2", input.spec().gate().minR2(), "classification", gate);
        notApplied(input, "gate.maxRmse", input.spec().gate().maxRmse(), "classification", gate);
        document.put("gate", gate);
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(METRICS, put(runId, METRICS, prettyJson(document), "application/json"));
        artifacts.put(REPORT, put(runId, REPORT, metrics.report(), "text/plain"));
        artifacts.put(CONFUSION_MATRIX, put(runId, CONFUSION_MATRIX, metrics.confusionMatrixText(), "text/plain"));
        ModelEvaluation.checkGate(metrics, minAccuracy, artifacts.get(REPORT));

        return new StageResult(artifacts,
                Map.of("accuracy", metrics.accuracy(), "precision", metrics.precision(),
                        "recall", metrics.recall(), "f1_score", metrics.f1()),
                Map.of("gate_min_accuracy", String.valueOf(minAccuracy), "test_rows", String.valueOf(metrics.support())));
    }

    private StageResult evaluateRegression(StageEvent input, ModelBundle bundle, CsvTable xTest, LabelColumn yTest) {
        PipelineSpec.Gate spec = input.spec().gate();
        RegressionMetrics metrics = ModelEvaluation.evaluateRegression(bundle, xTest, yTest);
        boolean passed = (spec.minR2() == null || metrics.r2() >= spec.minR2())
                && (spec.maxRmse() == null || metrics.rmse() <= spec.maxRmse());
        Map<String, Object> gate = new LinkedHashMap<>();
        gate.put("min_r2", spec.minR2());
        gate.put("max_rmse", spec.maxRmse());
        gate.put("passed", passed);
        gate.put("not_applied", Map.of("gate.minAccuracy", "an accuracy gate does not apply to a regression run"));
        Map<String, Object> document = new LinkedHashMap<>(metrics.toMap());
        document.put("task", PipelineSpec.REGRESSION);
        document.put("gate", gate);
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(METRICS, put(input.runId(), METRICS, prettyJson(document), "application/json"));
        ModelEvaluation.checkRegressionGate(metrics, spec.minR2(), spec.maxRmse(), artifacts.get(METRICS));

        Map<String, String> params = new LinkedHashMap<>();
        params.put("gate_min_r2", String.valueOf(spec.minR2()));
        params.put("gate_max_rmse", String.valueOf(spec.maxRmse()));
        params.put("test_rows", String.valueOf(metrics.support()));
        return new StageResult(artifacts, Map.of("rmse", metrics.rmse(), "mae", metrics.mae(), "r2", metrics.r2()),
                params);
    }

    /** Records in the gate document that a gate field set for the other task was not applied (inferred task). */
    private static void notApplied(StageEvent input, String field, Double value, String task, Map<String, Object> gate) {
        if (value != null) {
            @SuppressWarnings("unchecked")
            Map<String, Object> notApplied = (Map<String, Object>) gate.computeIfAbsent("not_applied",
                    k -> new LinkedHashMap<String, Object>());
            notApplied.put(field, "a regression gate does not apply to a " + task + " run (task inferred from the"
                    + " target column '" + input.spec().target() + "')");
        }
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
