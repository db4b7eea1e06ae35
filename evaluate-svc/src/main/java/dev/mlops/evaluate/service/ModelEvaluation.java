package dev.mlops.evaluate.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.runtime.stage.StageFailure;

import java.util.List;
import java.util.Map;

/** Scores a model bundle on the held-out test split, and the quality gate on the result. */
public final class ModelEvaluation {

    private ModelEvaluation() {
    }

    public static ClassificationMetrics evaluate(ModelBundle bundle, CsvTable xTest, LabelColumn yTest) {
        String target = bundle.signature().target();
        if (!yTest.name().equals(target)) {
            throw new StageFailure("the test labels are of column '" + yTest.name() + "', the model predicts '"
                    + target + "'");
        }
        if (xTest.rows().size() != yTest.values().size()) {
            throw new StageFailure("the test split has " + xTest.rows().size() + " feature rows but "
                    + yTest.values().size() + " labels");
        }
        double[][] x;
        try {
            x = FeatureTable.read(xTest, bundle.signature().featureColumns());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("the test features do not fit the model: " + e.getMessage());
        }
        return evaluate(bundle, x, yTest);
    }

    /** Scores a bundle on feature rows already transformed by its own preprocessor. */
    public static ClassificationMetrics evaluate(ModelBundle bundle, double[][] x, LabelColumn yTest) {
        // a class the model never saw in training still counts, as a class it always gets wrong
        List<String> labels = Labels.extend(bundle.classLabels(), yTest.values());
        int[] truth = Labels.encode(yTest.values(), labels);
        return ClassificationMetrics.of(truth, bundle.predict(x), labels);
    }

    /** The run metrics of a model's scores, as evaluate publishes them; releases are decided on one of them. */
    public static Map<String, Double> runMetrics(ClassificationMetrics metrics) {
        return Map.of("accuracy", metrics.accuracy(), "precision", metrics.precision(),
                "recall", metrics.recall(), "f1_score", metrics.f1());
    }

    /** Fails the stage when accuracy is below {@code minAccuracy}, saying both figures. */
    public static void checkGate(ClassificationMetrics metrics, double minAccuracy, String reportLocation) {
        if (metrics.accuracy() < minAccuracy) {
            throw new StageFailure(String.format(java.util.Locale.ROOT,
                    "quality gate failed: test accuracy %.4f is below gate.minAccuracy %.4f (%d test rows; report: %s)",
                    metrics.accuracy(), minAccuracy, metrics.support(), reportLocation));
        }
    }
}
