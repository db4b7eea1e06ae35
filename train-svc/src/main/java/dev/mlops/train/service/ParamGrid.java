package dev.mlops.train.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.estimator.Estimators;
import dev.mlops.model.estimator.HyperParams;
import dev.mlops.model.forest.ForestParams;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The candidates of a grid. */
public final class ParamGrid {

    private ParamGrid() {
    }

    /**
     * Every combination of the grid's values in scikit-learn's {@code ParameterGrid} order: keys sorted by name
     * (for a forest: max_depth, min_samples_leaf, min_samples_split, n_estimators), the last one varying fastest.
     * The order matters because a tie in CV score goes to the first candidate, as in {@code GridSearchCV}.
     */
    public static List<Map<String, Number>> combinations(PipelineSpec.Grid grid) {
        List<Map<String, Number>> combinations = new ArrayList<>((int) Math.min(grid.candidates(), 1 << 16));
        combinations.add(new HashMap<>());
        for (Map.Entry<String, List<Number>> parameter : grid.values().entrySet()) { // sorted by name
            List<Map<String, Number>> next = new ArrayList<>(combinations.size() * parameter.getValue().size());
            for (Map<String, Number> partial : combinations) {
                for (Number value : parameter.getValue()) {
                    Map<String, Number> combination = new HashMap<>(partial);
                    combination.put(parameter.getKey(), value);
                    next.add(combination);
                }
            }
            combinations = next;
        }
        return combinations;
    }

    /** The candidates of a {@code type} grid, in {@link #combinations} order. */
    public static List<HyperParams> candidates(String type, PipelineSpec.Grid grid) {
        return combinations(grid).stream().map(values -> Estimators.params(type, values)).toList();
    }

    /** The candidates of a random-forest grid, in {@link #combinations} order. */
    public static List<ForestParams> candidates(PipelineSpec.Grid grid) {
        return combinations(grid).stream().map(ForestParams::of).toList();
    }
}
