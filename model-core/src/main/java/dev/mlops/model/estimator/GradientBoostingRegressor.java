package dev.mlops.model.estimator;

import smile.base.cart.Loss;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.math.MathEx;
import smile.regression.GradientTreeBoost;

import java.io.Serial;
import java.util.Map;

/**
 * Gradient-boosted trees for regression: Smile's {@link GradientTreeBoost} with least-squares loss, as
 * scikit-learn's {@code GradientBoostingRegressor(loss="squared_error")}; the parameters map as in
 * {@link GradientBoostingClassifier}.
 */
public final class GradientBoostingRegressor implements Regressor {

    @Serial
    private static final long serialVersionUID = 1L;

    private final GradientTreeBoost model;
    private final BoostingParams params;
    private final int features;

    private GradientBoostingRegressor(GradientTreeBoost model, BoostingParams params, int features) {
        this.model = model;
        this.params = params;
        this.features = features;
    }

    public static GradientBoostingRegressor fit(double[][] x, double[] y, BoostingParams params, long seed) {
        var data = SmileData.values(x, y);
        MathEx.setSeed(seed);
        GradientTreeBoost model = GradientTreeBoost.fit(Formula.lhs(SmileData.LABEL), data, Loss.ls(),
                params.nEstimators(), params.smileMaxDepth(), Integer.MAX_VALUE, params.minSamplesLeaf(),
                params.learningRate(), params.subsample());
        return new GradientBoostingRegressor(model, params, x[0].length);
    }

    @Override
    public double predict(double[] row) {
        SmileData.checkRow(row, features);
        return model.predict(Tuple.of(row, model.schema()));
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
