package dev.mlops.model.forest;

import smile.base.cart.LeafNode;
import smile.classification.DecisionTree;
import smile.data.Tuple;
import smile.data.type.StructType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The self-check of a {@link CompiledForest}: for every split it holds, a row that reaches that split with the
 * split's feature just below, at and just above the threshold goes through the flat copy and through Smile's
 * tree, and must end in the same leaf. A sample of those rows then goes through the whole forest both ways and
 * must give the same probabilities, bit for bit (the leaf fractions are summed in the same order).
 */
final class ThresholdProbes {

    private static final int FOREST_SAMPLE = 256;
    private static final int SAMPLE_EVERY = 7;

    private final CompiledForest compiled;
    private final RandomForestClassifier model;
    private final DecisionTree[] trees;
    private final StructType schema;
    private final List<double[]> forestSample = new ArrayList<>();
    private int probes;

    ThresholdProbes(CompiledForest compiled, RandomForestClassifier model) {
        this.compiled = compiled;
        this.model = model;
        this.trees = model.smileForest().trees();
        this.schema = model.smileForest().schema();
    }

    /** Runs the probes; returns how many rows went through single trees. */
    int check() throws ForestNotCompiledException {
        int features = compiled.features();
        for (int t = 0; t < compiled.trees(); t++) {
            double[] above = new double[features];
            double[] atMost = new double[features];
            Arrays.fill(above, Double.NEGATIVE_INFINITY);
            Arrays.fill(atMost, Double.POSITIVE_INFINITY);
            probeSplits(t, compiled.root(t), above, atMost);
        }
        compareForest();
        return probes;
    }

    /** Probes split {@code n} and the splits under it; a row reaches n when each x_j is in (above_j, atMost_j]. */
    private void probeSplits(int tree, int n, double[] above, double[] atMost) throws ForestNotCompiledException {
        int f = compiled.feature(n);
        if (f == CompiledForest.LEAF) {
            return;
        }
        double threshold = compiled.threshold(n);
        for (double x : new double[] {Math.nextDown(threshold), threshold, Math.nextUp(threshold)}) {
            double[] row = rowWithin(above, atMost);
            row[f] = x;
            compareTree(tree, row, f, threshold);
        }
        double bound = atMost[f];
        atMost[f] = Math.min(bound, threshold);
        probeSplits(tree, compiled.trueChild(n), above, atMost);
        atMost[f] = bound;
        bound = above[f];
        above[f] = Math.max(bound, threshold);
        probeSplits(tree, compiled.falseChild(n), above, atMost);
        above[f] = bound;
    }

    private static double[] rowWithin(double[] above, double[] atMost) {
        double[] row = new double[above.length];
        for (int j = 0; j < row.length; j++) {
            if (atMost[j] != Double.POSITIVE_INFINITY) {
                row[j] = atMost[j];
            } else if (above[j] != Double.NEGATIVE_INFINITY) {
                row[j] = Math.max(above[j] + 1, Math.nextUp(above[j]));
            }
        }
        return row;
    }

    private void compareTree(int tree, double[] row, int feature, double threshold) throws ForestNotCompiledException {
        LeafNode smileLeaf = trees[tree].root().predict(Tuple.of(row, schema));
        int flatLeaf = compiled.leaf(compiled.root(tree), row);
        if (compiled.smileLeaf(flatLeaf) != smileLeaf) {
            throw new ForestNotCompiledException("tree " + tree + ", split on feature " + feature + " at "
                    + threshold + ": the row " + Arrays.toString(row) + " reaches another leaf than in Smile's tree");
        }
        if (probes++ % SAMPLE_EVERY == 0 && forestSample.size() < FOREST_SAMPLE) {
            forestSample.add(row);
        }
    }

    private void compareForest() throws ForestNotCompiledException {
        double[][] rows = forestSample.toArray(double[][]::new);
        double[][] expected = model.predictProbabilities(rows);
        double[] sum = new double[compiled.classes()];
        for (int i = 0; i < rows.length; i++) {
            compiled.probabilities(rows[i], sum);
            if (!Arrays.equals(sum, expected[i])) {
                throw new ForestNotCompiledException("the row " + Arrays.toString(rows[i]) + " gets the probabilities "
                        + Arrays.toString(sum) + " from the compiled forest, " + Arrays.toString(expected[i])
                        + " from Smile's trees");
            }
        }
    }
}
