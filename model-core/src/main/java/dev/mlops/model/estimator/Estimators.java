package dev.mlops.model.estimator;

import dev.mlops.common.spec.ModelTypes;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;

import java.util.Map;

/**
 * Fits the model of a {@code model.type} ({@code random_forest}, {@code gradient_boosting},
 * {@code logistic_regression}) from one grid candidate (parameter name -> value, as {@code model.grid} names them).
 */
public final class Estimators {

    private Estimators() {
    }

    public static Classifier fitClassifier(String type, double[][] x, int[] y, Map<String, Number> params, long seed) {
        return switch (type) {
            case ModelTypes.RANDOM_FOREST -> RandomForestClassifier.fit(x, y, ForestParams.of(params), seed);
            case ModelTypes.GRADIENT_BOOSTING -> GradientBoostingClassifier.fit(x, y, BoostingParams.of(params), seed);
            case ModelTypes.LOGISTIC_REGRESSION -> LogisticRegressionClassifier.fit(x, y, LogisticParams.of(params));
            default -> throw new IllegalArgumentException("unknown model type '" + type + "'");
        };
    }

    public static Regressor fitRegressor(String type, double[][] x, double[] y, Map<String, Number> params, long seed) {
        return switch (type) {
            case ModelTypes.RANDOM_FOREST -> RandomForestRegressor.fit(x, y, ForestParams.of(params), seed);
            case ModelTypes.GRADIENT_BOOSTING -> GradientBoostingRegressor.fit(x, y, BoostingParams.of(params), seed);
            default -> throw new IllegalArgumentException("model type '" + type + "' does not fit regressors");
        };
    }
}
