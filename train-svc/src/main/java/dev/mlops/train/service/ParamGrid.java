package dev.mlops.train.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.forest.ForestParams;

import java.util.ArrayList;
import java.util.List;

/** The candidates of a random-forest grid. */
public final class ParamGrid {

    private ParamGrid() {
    }

    /**
     * Every combination of the grid's values in scikit-learn's {@code ParameterGrid} order: keys sorted by name
     * (max_depth, min_samples_leaf, min_samples_split, n_estimators), the last one varying fastest. The order
     * matters because a tie in CV score goes to the first candidate, as in {@code GridSearchCV}.
     */
    public static List<ForestParams> candidates(PipelineSpec.Grid grid) {
        List<ForestParams> candidates = new ArrayList<>((int) Math.min(grid.candidates(), 1 << 16));
        for (Integer maxDepth : grid.maxDepth()) {
            for (int minSamplesLeaf : grid.minSamplesLeaf()) {
                for (int minSamplesSplit : grid.minSamplesSplit()) {
                    for (int nEstimators : grid.nEstimators()) {
                        candidates.add(new ForestParams(nEstimators, maxDepth, minSamplesSplit, minSamplesLeaf));
                    }
                }
            }
        }
        return candidates;
    }
}
