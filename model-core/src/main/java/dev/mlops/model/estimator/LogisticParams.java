package dev.mlops.model.estimator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Logistic-regression hyper-parameters in scikit-learn's terms ({@code LogisticRegression}); see
 * {@link LogisticRegressionClassifier} for how they map onto Smile's.
 *
 * @param c inverse of the L2 regularisation strength
 */
public record LogisticParams(double c, int maxIter) implements HyperParams {

    public LogisticParams {
        if (!(c > 0) || Double.isInfinite(c)) {
            throw new IllegalArgumentException("C must be a positive number, got " + c);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("max_iter must be at least 1, got " + maxIter);
        }
    }

    public static LogisticParams of(Map<String, Number> params) {
        return new LogisticParams(params.get("C").doubleValue(), params.get("max_iter").intValue());
    }

    public Map<String, String> asSklearnParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("C", Double.toString(c));
        params.put("max_iter", Integer.toString(maxIter));
        return params;
    }
}
