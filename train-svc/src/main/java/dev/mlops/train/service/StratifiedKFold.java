package dev.mlops.train.service;

import java.util.Arrays;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * scikit-learn's {@code StratifiedKFold(n_splits, shuffle=False)}, which {@code GridSearchCV(cv=k)} uses for a
 * classifier: the same rows land in the same folds, so CV scores are comparable with the reference.
 * Each class's rows are dealt to the folds in blocks, in row order, sized so every fold gets its share of the class.
 */
public final class StratifiedKFold {

    private StratifiedKFold() {
    }

    /**
     * The test fold (0..folds-1) of every row.
     *
     * @throws IllegalArgumentException when a class has fewer rows than there are folds, naming the class
     */
    public static int[] testFolds(int[] y, int folds, List<String> classLabels) {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
        }
        // classes numbered by first appearance, as scikit-learn does before allocating
        Map<Integer, Integer> appearance = new LinkedHashMap<>();
        for (int label : y) {
            appearance.putIfAbsent(label, appearance.size());
        }
        int classes = appearance.size();
        int[] encoded = Arrays.stream(y).map(appearance::get).toArray();
        int[] counts = new int[classes];
        for (int c : encoded) {
            counts[c]++;
        }
        for (Map.Entry<Integer, Integer> entry : appearance.entrySet()) {
            int count = counts[entry.getValue()];
            if (count < folds) {
                throw new IllegalArgumentException("cv=" + folds + " but class '" + classLabels.get(entry.getKey())
                        + "' has only " + count + (count == 1 ? " row" : " rows")
                        + ": every class needs at least one row per fold");
            }
        }
        // allocation[f][c]: rows of class c in test fold f, dealt round robin over the labels sorted by class
        int[] sorted = encoded.clone();
        Arrays.sort(sorted);
        int[][] allocation = new int[folds][classes];
        for (int i = 0; i < sorted.length; i++) {
            allocation[i % folds][sorted[i]]++;
        }
        int[] testFold = new int[y.length];
        int[] fold = new int[classes];
        int[] leftInFold = new int[classes];
        for (int c = 0; c < classes; c++) {
            leftInFold[c] = allocation[0][c];
        }
        for (int i = 0; i < y.length; i++) {
            int c = encoded[i];
            while (leftInFold[c] == 0) {
                fold[c]++;
                leftInFold[c] = allocation[fold[c]][c];
            }
            testFold[i] = fold[c];
            leftInFold[c]--;
        }
        return testFold;
    }
}
