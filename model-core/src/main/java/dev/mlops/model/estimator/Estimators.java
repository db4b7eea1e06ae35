package dev.mlops.model.estimator;

import dev.mlops.common.spec.ModelTypes;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;

import java.util.Map;

/**
 * Fits the model of a {@code model.type} ({@code random_forest}, {@code gradient_boosting},
 * {@code logistic_regression}) from one grid candidate: the type's {@link HyperParams}, made by {@link #params} from
 * parameter name -> value as {@code model.grid} names them.
 */
public final class Estimators {

    private Estimators() {
    }

    /** The hyper-parameters of a {@code type} candidate. */
    public static HyperParams params(String type, Map<String, Number> values) {
        return switch (type) {
            case ModelTypes.RANDOM_FOREST -> ForestParams.of(values);
            case ModelTypes.GRADIENT_BOOSTING -> BoostingParams.of(values);
            case ModelTypes.LOGISTIC_REGRESSION -> LogisticParams.of(values);
            default -> throw new IllegalArgumentException("unknown model type '" + type + "'");
        };
    }

    /** Fits the classifier those parameters belong to on rows {@code x} with class indexes {@code y}. */
    public static Classifier fitClassifier(HyperParams params, double[][] x, int[] y, long seed) {
        if (params instanceof ForestParams forest) {
            return RandomForestClassifier.fit(x, y, forest, seed);
        }
        if (params instanceof BoostingParams boosting) {
            return GradientBoostingClassifier.fit(x, y, boosting, seed);
        }
        if (params instanceof LogisticParams logistic) {
            return LogisticRegressionClassifier.fit(x, y, logistic);
        }
        throw new IllegalArgumentException("no classifier takes " + params.getClass().getName());
    }

    /** Fits the regressor those parameters belong to on rows {@code x} with target values {@code y}. */
    public static Regressor fitRegressor(HyperParams params, double[][] x, double[] y, long seed) {
        if (params instanceof ForestParams forest) {
            return RandomForestRegressor.fit(x, y, forest, seed);
        }
        if (params instanceof BoostingParams boosting) {
            return GradientBoostingRegressor.fit(x, y, boosting, seed);
        }
        throw new IllegalArgumentException("no regressor takes " + params.getClass().getName()
                + ": logistic regression is a classifier only");
    }

    public static Classifier fitClassifier(String type, double[][] x, int[] y, Map<String, Number> values, long seed) {
        return fitClassifier(params(type, values), x, y, seed);
    }

    public static Regressor fitRegressor(String type, double[][] x, double[] y, Map<String, Number> values, long seed) {
        return fitRegressor(params(type, values), x, y, seed);
    }
}
