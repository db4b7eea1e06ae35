package dev.mlops.model.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * scikit-learn's {@code train_test_split(test_size, random_state=seed[, stratify=y])}: the same row indexes in
 * the same order, drawn with numpy's RNG ({@link NumpyRandomState}).
 *
 * @param train row indexes of the training split, in scikit-learn's order
 * @param test  row indexes of the test split
 */
public record TrainTestSplit(int[] train, int[] test) {

    /** Shuffle split as scikit-learn's ShuffleSplit: the first ceil(testSize * n) rows of a permutation are the test split. */
    public static TrainTestSplit shuffle(int rows, double testSize, long seed) {
        int nTest = testRows(rows, testSize);
        int[] permutation = new NumpyRandomState(seed).permutation(rows);
        return new TrainTestSplit(Arrays.copyOfRange(permutation, nTest, rows), Arrays.copyOfRange(permutation, 0, nTest));
    }

    /**
     * Stratified split as scikit-learn's StratifiedShuffleSplit: each class keeps its share in both splits.
     * {@code labels} are the rows' class labels; every class needs at least two rows.
     */
    public static TrainTestSplit stratified(List<String> labels, double testSize, long seed) {
        int rows = labels.size();
        int nTest = testRows(rows, testSize);
        int nTrain = rows - nTest;
        List<String> classes = Labels.classLabels(labels);
        int[] y = Labels.encode(labels, classes);
        int k = classes.size();
        int[] counts = new int[k];
        for (int label : y) {
            counts[label]++;
        }
        for (int c = 0; c < k; c++) {
            if (counts[c] < 2) {
                throw new IllegalArgumentException("cannot stratify: class '" + classes.get(c) + "' has only "
                        + counts[c] + " row; every class needs at least 2");
            }
        }
        if (nTrain < k || nTest < k) {
            throw new IllegalArgumentException("cannot stratify " + k + " classes into " + nTrain + " training and "
                    + nTest + " test rows: each split needs at least one row per class");
        }
        // rows of each class in row order (numpy's stable argsort of the class indexes)
        int[][] classRows = new int[k][];
        int[] filled = new int[k];
        for (int c = 0; c < k; c++) {
            classRows[c] = new int[counts[c]];
        }
        for (int i = 0; i < rows; i++) {
            classRows[y[i]][filled[y[i]]++] = i;
        }
        NumpyRandomState rng = new NumpyRandomState(seed);
        int[] trainPerClass = approximateMode(counts, nTrain, rng);
        int[] remaining = new int[k];
        for (int c = 0; c < k; c++) {
            remaining[c] = counts[c] - trainPerClass[c];
        }
        int[] testPerClass = approximateMode(remaining, nTest, rng);
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            int[] permutation = rng.permutation(counts[c]);
            for (int j = 0; j < trainPerClass[c] + testPerClass[c]; j++) {
                (j < trainPerClass[c] ? train : test).add(classRows[c][permutation[j]]);
            }
        }
        int[] trainRows = train.stream().mapToInt(Integer::intValue).toArray();
        int[] testRows = test.stream().mapToInt(Integer::intValue).toArray();
        rng.shuffle(trainRows);
        rng.shuffle(testRows);
        return new TrainTestSplit(trainRows, testRows);
    }

    /** scikit-learn's {@code _validate_shuffle_split}: ceil(testSize * n) test rows, the rest for training. */
    static int testRows(int rows, double testSize) {
        if (!(testSize > 0 && testSize < 1)) {
            throw new IllegalArgumentException("the test size must be between 0 and 1, got " + testSize);
        }
        int nTest = (int) Math.ceil(testSize * rows);
        if (rows - nTest < 1) {
            throw new IllegalArgumentException("with " + rows + " rows and test size " + testSize
                    + " the training split would be empty");
        }
        return nTest;
    }

    /** scikit-learn's {@code _approximate_mode}: per-class draws closest to the class shares, ties broken at random. */
    private static int[] approximateMode(int[] counts, int draws, NumpyRandomState rng) {
        int total = Arrays.stream(counts).sum();
        double[] continuous = new double[counts.length];
        int[] floored = new int[counts.length];
        int flooredSum = 0;
        for (int c = 0; c < counts.length; c++) {
            continuous[c] = (double) counts[c] / total * draws;
            floored[c] = (int) Math.floor(continuous[c]);
            flooredSum += floored[c];
        }
        int needToAdd = draws - flooredSum;
        if (needToAdd > 0) {
            Map<Double, List<Integer>> byRemainder = new TreeMap<>((a, b) -> Double.compare(b, a));
            for (int c = 0; c < counts.length; c++) {
                byRemainder.computeIfAbsent(continuous[c] - floored[c], r -> new ArrayList<>()).add(c);
            }
            for (List<Integer> classes : byRemainder.values()) {
                int addNow = Math.min(classes.size(), needToAdd);
                int[] chosen = rng.choice(classes.stream().mapToInt(Integer::intValue).toArray(), addNow);
                for (int c : chosen) {
                    floored[c]++;
                }
                needToAdd -= addNow;
                if (needToAdd == 0) {
                    break;
                }
            }
        }
        return floored;
    }
}
