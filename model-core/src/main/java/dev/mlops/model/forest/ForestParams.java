package dev.mlops.model.forest;

import dev.mlops.model.estimator.HyperParams;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Random-forest hyper-parameters in scikit-learn's terms (see {@link RandomForestClassifier} for how they map
 * onto Smile's).
 *
 * @param maxDepth null means unlimited, as scikit-learn's {@code max_depth=None}
 */
public record ForestParams(int nEstimators, Integer maxDepth, int minSamplesSplit, int minSamplesLeaf)
        implements HyperParams {

    public ForestParams {
        if (nEstimators < 1) {
            throw new IllegalArgumentException("n_estimators must be at least 1, got " + nEstimators);
        }
        if (maxDepth != null && maxDepth < 1) {
            throw new IllegalArgumentException("max_depth must be at least 1 or null (unlimited), got " + maxDepth);
        }
        if (minSamplesSplit < 2) {
            throw new IllegalArgumentException("min_samples_split must be at least 2, got " + minSamplesSplit);
        }
        if (minSamplesLeaf < 1) {
            throw new IllegalArgumentException("min_samples_leaf must be at least 1, got " + minSamplesLeaf);
        }
    }

    /** A candidate of a random-forest grid: parameter name -> value, as {@code model.grid} names them. */
    public static ForestParams of(Map<String, Number> params) {
        Number maxDepth = params.get("max_depth");
        return new ForestParams(params.get("n_estimators").intValue(), maxDepth == null ? null : maxDepth.intValue(),
                params.get("min_samples_split").intValue(), params.get("min_samples_leaf").intValue());
    }

    /**
     * Smile's maxDepth for scikit-learn's {@code max_depth}: Smile counts the root as depth 1 and splits no node at
     * maxDepth, scikit-learn counts the root as depth 0; both then allow max_depth levels of splits.
     */
    public static int smileMaxDepth(Integer maxDepth) {
        return maxDepth == null ? Integer.MAX_VALUE : maxDepth + 1;
    }

    public int smileMaxDepth() {
        return smileMaxDepth(maxDepth);
    }

    /** The parameters under scikit-learn's names, max_depth "None" when unlimited: for params and metadata. */
    public Map<String, String> asSklearnParams() {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("n_estimators", Integer.toString(nEstimators));
        params.put("max_depth", maxDepth == null ? "None" : maxDepth.toString());
        params.put("min_samples_split", Integer.toString(minSamplesSplit));
        params.put("min_samples_leaf", Integer.toString(minSamplesLeaf));
        return params;
    }

    @Override
    public String toString() {
        return asSklearnParams().toString();
    }
}
