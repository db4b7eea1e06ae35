package dev.mlops.evaluate.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.Values;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.runtime.stage.StageFailure;

import java.util.List;

/** Scores a model bundle on the held-out test split, and the quality gate on the result. */
public final class ModelEvaluation {

    private ModelEvaluation() {
    }

    public static ClassificationMetrics evaluate(ModelBundle bundle, CsvTable xTest, LabelColumn yTest) {
        double[][] x = features(bundle, xTest, yTest);
        // a class the model never saw in training still counts, as a class it always gets wrong
        List<String> labels = Labels.extend(bundle.classLabels(), yTest.values());
        int[] truth = Labels.encode(yTest.values(), labels);
        return ClassificationMetrics.of(truth, bundle.predict(x), labels);
    }

    /** A regressor's RMSE, MAE and R² on the test split; every test label must be a number. */
    public static RegressionMetrics evaluateRegression(ModelBundle bundle, CsvTable xTest, LabelColumn yTest) {
        double[][] x = features(bundle, xTest, yTest);
        double[] truth = new double[yTest.values().size()];
        for (int i = 0; i < truth.length; i++) {
            Double value = Values.parseNumber(yTest.values().get(i));
            if (value == null) {
                throw new StageFailure("test label " + (i + 1) + " is '" + yTest.values().get(i)
                        + "', not a number: a regressor's test labels must be numeric");
            }
            truth[i] = value;
        }
        return RegressionMetrics.of(truth, bundle.predictValues(x));
    }

    private static double[][] features(ModelBundle bundle, CsvTable xTest, LabelColumn yTest) {
        String target = bundle.signature().target();
        if (!yTest.name().equals(target)) {
            throw new StageFailure("the test labels are of column '" + yTest.name() + "', the model predicts '"
                    + target + "'");
        }
        if (xTest.rows().size() != yTest.values().size()) {
            throw new StageFailure("the test split has " + xTest.rows().size() + " feature rows but "
                    + yTest.values().size() + " labels");
        }
        try {
            return FeatureTable.read(xTest, bundle.signature().featureColumns());
        } catch (IllegalArgumentException e) {
            throw new StageFailure("the test features do not fit the model: " + e.getMessage());
        }
    }

    /** Fails the stage when R² is below {@code minR2} or RMSE above {@code maxRmse} (either may be null: not set). */
    public static void checkRegressionGate(RegressionMetrics metrics, Double minR2, Double maxRmse,
                                           String metricsLocation) {
        if (minR2 != null && metrics.r2() < minR2) {
            throw new StageFailure(String.format(java.util.Locale.ROOT,
                    "quality gate failed: test R² %.4f is below gate.minR2 %.4f (%d test rows; metrics: %s)",
                    metrics.r2(), minR2, metrics.support(), metricsLocation));
        }
        if (maxRmse != null && metrics.rmse() > maxRmse) {
            throw new StageFailure(String.format(java.util.Locale.ROOT,
                    "quality gate failed: test RMSE %.4f is above gate.maxRmse %.4f (%d test rows; metrics: %s)",
                    metrics.rmse(), maxRmse, metrics.support(), metricsLocation));
        }
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
