package dev.mlops.model.estimator;

import dev.mlops.model.forest.ForestParams;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Gradient-boosting hyper-parameters in scikit-learn's terms ({@code GradientBoostingClassifier} /
 * {@code GradientBoostingRegressor}); see {@link GradientBoostingClassifier} for how they map onto Smile's.
 *
 * @param maxDepth null means unlimited
 */
public record BoostingParams(int nEstimators, double learningRate, Integer maxDepth, double subsample,
                             int minSamplesLeaf) implements HyperParams {

    public BoostingParams {
        if (nEstimators < 1) {
            throw new IllegalArgumentException("n_estimators must be at least 1, got " + nEstimators);
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("learning_rate must be greater than 0, got " + learningRate);
        }
        if (maxDepth != null && maxDepth < 1) {
            throw new IllegalArgumentException("max_depth must be at least 1 or null (unlimited), got " + maxDepth);
        }
        if (!(subsample > 0 && subsample <= 1)) {
            throw new IllegalArgumentException("subsample must be in (0, 1], got " + subsample);
        }
        if (minSamplesLeaf < 1) {
            throw new IllegalArgumentException("min_samples_leaf must be at least 1, got " + minSamplesLeaf);
        }
    }

    /** A candidate of a gradient-boosting grid: parameter name -> value. */
    public static BoostingParams of(Map<String, Number> params) {
        Number maxDepth = params.get("max_depth");
        return new BoostingParams(params.get("n_estimators").intValue(), params.get("learning_rate").doubleValue(),
                maxDepth == null ? null : maxDepth.intValue(), params.get("subsample").doubleValue(),
                params.get("min_samples_leaf").intValue());
    }

    int smileMaxDepth() {
        return ForestParams.smileMaxDepth(maxDepth);
    }

    public Map<String, String> asSklearnParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("n_estimators", Integer.toString(nEstimators));
        params.put("learning_rate", Double.toString(learningRate));
        params.put("max_depth", maxDepth == null ? "None" : maxDepth.toString());
        params.put("subsample", Double.toString(subsample));
        params.put("min_samples_leaf", Integer.toString(minSamplesLeaf));
        return params;
    }
}
