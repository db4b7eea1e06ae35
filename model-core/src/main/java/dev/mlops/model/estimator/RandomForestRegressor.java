package dev.mlops.model.estimator;

import dev.mlops.model.forest.ForestParams;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.regression.RandomForest;

import java.io.Serial;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A random-forest regressor: Smile's regression {@link RandomForest} configured after scikit-learn's
 * {@code RandomForestRegressor}. The parameters map as in {@link dev.mlops.model.forest.RandomForestClassifier},
 * except {@code max_features=1.0} (scikit-learn's regression default) -> {@code mtry = p}, every feature tried at
 * every split, and the prediction is the mean of the trees' leaf means (Smile's and scikit-learn's alike).
 */
public final class RandomForestRegressor implements Regressor {

    @Serial
    private static final long serialVersionUID = 1L;

    private final RandomForest forest;
    private final ForestParams params;
    private final int features;

    private RandomForestRegressor(RandomForest forest, ForestParams params, int features) {
        this.forest = forest;
        this.params = params;
        this.features = features;
    }

    public static RandomForestRegressor fit(double[][] x, double[] y, ForestParams params, long seed) {
        var data = SmileData.values(x, y);
        int p = x[0].length;
        int nodeSize = Math.max(params.minSamplesLeaf(), (params.minSamplesSplit() + 1) / 2);
        // Smile seeds a tree's RNG only with values > 1
        var seeds = new SplittableRandom(seed).longs(2, Long.MAX_VALUE);
        RandomForest forest = RandomForest.fit(Formula.lhs(SmileData.LABEL), data, params.nEstimators(), p,
                params.smileMaxDepth(), Integer.MAX_VALUE, nodeSize, 1.0, seeds);
        return new RandomForestRegressor(forest, params, p);
    }

    @Override
    public double predict(double[] row) {
        SmileData.checkRow(row, features);
        return forest.predict(Tuple.of(row, forest.schema()));
    }

    @Override
    public int featureCount() {
        return features;
    }

    @Override
    public Map<String, String> hyperParameters() {
        return params.asSklearnParams();
    }
}
