package dev.mlops.common.spec;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The model types a spec may name ({@code model.type}), the hyper-parameters each takes under scikit-learn's names,
 * with scikit-learn's defaults (random_forest: the published grid), and the range of each parameter's values.
 */
public final class ModelTypes {

    public static final String RANDOM_FOREST = "random_forest";
    public static final String GRADIENT_BOOSTING = "gradient_boosting";
    public static final String LOGISTIC_REGRESSION = "logistic_regression";
    public static final List<String> TYPES = List.of(RANDOM_FOREST, GRADIENT_BOOSTING, LOGISTIC_REGRESSION);
    /** The types that also fit regressors (logistic regression is a classifier only). */
    public static final List<String> REGRESSION_TYPES = List.of(RANDOM_FOREST, GRADIENT_BOOSTING);

    /** Which limit bounds a parameter's values from above, besides its own maximum. */
    enum Limit { NONE, TREES_PER_FOREST, TREE_DEPTH }

    /**
     * One hyper-parameter.
     *
     * @param minExclusive whether {@code min} itself is refused ({@code learning_rate > 0})
     * @param nullAllowed  whether null ("unlimited") is a value
     */
    record Param(String name, List<Number> defaults, double min, boolean minExclusive, double max, boolean integer,
                 boolean nullAllowed, Limit limit) {
    }

    private static final Map<String, List<Param>> PARAMS = Map.of(
            RANDOM_FOREST, List.of(
                    new Param("n_estimators", List.of(100, 200, 300), 1, false, Long.MAX_VALUE, true, false,
                            Limit.TREES_PER_FOREST),
                    new Param("max_depth", Arrays.asList(null, 10, 20, 30), 1, false, Long.MAX_VALUE, true, true,
                            Limit.TREE_DEPTH),
                    new Param("min_samples_split", List.of(2, 5, 10), 2, false, 100_000, true, false, Limit.NONE),
                    new Param("min_samples_leaf", List.of(1, 2, 4), 1, false, 100_000, true, false, Limit.NONE)),
            GRADIENT_BOOSTING, List.of(
                    new Param("n_estimators", List.of(100), 1, false, Long.MAX_VALUE, true, false,
                            Limit.TREES_PER_FOREST),
                    new Param("learning_rate", List.of(0.1), 0, true, 1, false, false, Limit.NONE),
                    new Param("max_depth", List.of(3), 1, false, Long.MAX_VALUE, true, true, Limit.TREE_DEPTH),
                    new Param("subsample", List.of(1.0), 0, true, 1, false, false, Limit.NONE),
                    new Param("min_samples_leaf", List.of(1), 1, false, 100_000, true, false, Limit.NONE)),
            LOGISTIC_REGRESSION, List.of(
                    new Param("C", List.of(1.0), 0, true, 1e9, false, false, Limit.NONE),
                    new Param("max_iter", List.of(100), 1, false, 100_000, true, false, Limit.NONE)));

    private ModelTypes() {
    }

    /** Whether {@code type} is one of {@link #TYPES}. */
    public static boolean known(String type) {
        return PARAMS.containsKey(type);
    }

    /** The parameter names {@code type} takes, in grid order. */
    public static List<String> parameterNames(String type) {
        return params(type).stream().map(Param::name).sorted().toList();
    }

    /** Whether the type's grid search shares trees across n_estimators (random forest: see train-svc's GridSearch). */
    public static boolean growsTrees(String type) {
        return RANDOM_FOREST.equals(type) || GRADIENT_BOOSTING.equals(type);
    }

    /** The grid a spec of {@code type} gets when it names none. */
    public static PipelineSpec.Grid defaultGrid(String type) {
        Map<String, List<Number>> values = new LinkedHashMap<>();
        params(type).forEach(p -> values.put(p.name(), p.defaults()));
        return new PipelineSpec.Grid(values);
    }

    /**
     * {@code grid} with each parameter it leaves out taken from {@code type}'s defaults; parameters that do not
     * belong to the type are kept for validation to name. An unknown type keeps the grid as given.
     */
    public static PipelineSpec.Grid withDefaults(String type, PipelineSpec.Grid grid) {
        if (!known(type)) {
            return grid == null ? new PipelineSpec.Grid(Map.of()) : grid;
        }
        if (grid == null) {
            return defaultGrid(type);
        }
        Map<String, List<Number>> values = new TreeMap<>(grid.values());
        params(type).forEach(p -> values.putIfAbsent(p.name(), p.defaults()));
        return new PipelineSpec.Grid(values);
    }

    static List<Param> params(String type) {
        List<Param> params = PARAMS.get(type);
        if (params == null) {
            throw new IllegalArgumentException("unknown model type '" + type + "'");
        }
        return params;
    }
}
