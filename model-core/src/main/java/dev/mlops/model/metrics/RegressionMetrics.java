package dev.mlops.model.metrics;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Test-set metrics of a regressor as scikit-learn computes them: {@code mean_squared_error} (its root, RMSE),
 * {@code mean_absolute_error} and {@code r2_score} (1 - residual sum of squares / total sum of squares; for a
 * constant truth, as scikit-learn: 1.0 for a perfect fit, 0.0 otherwise).
 */
public record RegressionMetrics(double rmse, double mae, double r2, int support) {

    public static RegressionMetrics of(double[] truth, double[] predicted) {
        if (truth.length != predicted.length || truth.length == 0) {
            throw new IllegalArgumentException(truth.length + " true values and " + predicted.length + " predictions");
        }
        double mean = 0;
        for (double t : truth) {
            mean += t;
        }
        mean /= truth.length;
        double squares = 0;
        double absolutes = 0;
        double total = 0;
        for (int i = 0; i < truth.length; i++) {
            double residual = truth[i] - predicted[i];
            squares += residual * residual;
            absolutes += Math.abs(residual);
            total += (truth[i] - mean) * (truth[i] - mean);
        }
        double r2 = total == 0 ? (squares == 0 ? 1.0 : 0.0) : 1 - squares / total;
        return new RegressionMetrics(Math.sqrt(squares / truth.length), absolutes / truth.length, r2, truth.length);
    }

    /** R² alone: the cross-validation score of a regressor, as scikit-learn's {@code GridSearchCV} uses. */
    public static double r2(double[] truth, double[] predicted) {
        return of(truth, predicted).r2();
    }

    /** The figures under their metric names, for {@code evaluate/metrics.json}. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("rmse", rmse);
        map.put("mae", mae);
        map.put("r2", r2);
        map.put("test_rows", support);
        return map;
    }
}
