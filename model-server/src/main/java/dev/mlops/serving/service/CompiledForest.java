package dev.mlops.serving.service;

import dev.mlops.model.forest.RandomForestClassifier;
import smile.base.cart.DecisionNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.classification.DecisionTree;
import smile.classification.RandomForest;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bundle's forest copied into flat arrays once at start-up, so that a prediction walks arrays instead of
 * Smile's node objects (3-4x faster for the 200-tree forests the grid search picks). It computes exactly what
 * {@link RandomForestClassifier#predict(double[])} computes, the mean of the trees' leaf class fractions, with the
 * same floating-point operations in the same order, and {@link #compile} checks that on probe rows before it is
 * used.
 *
 * <p>Smile 3.1.1 does not expose a split's threshold nor RandomForestClassifier its forest, so both are read by
 * reflection here, once. Any surprise (another Smile version, a categorical split) makes {@link #compile} return
 * null and the server predicts through model-core instead. Belongs in model-core (see the module's README).
 */
public final class CompiledForest {

    private static final int LEAF = -1;

    private final int features;
    private final int classes;
    private final int[] labels;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    private final int[] trueChild;
    private final int[] falseChild;
    private final double[] leafFractions;

    private CompiledForest(int features, int classes, int[] labels, int[] roots, int[] feature, double[] threshold,
                           int[] trueChild, int[] falseChild, double[] leafFractions) {
        this.features = features;
        this.classes = classes;
        this.labels = labels;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.trueChild = trueChild;
        this.falseChild = falseChild;
        this.leafFractions = leafFractions;
    }

    /** The compiled forest, or null when it cannot be built or does not predict exactly as {@code model} does. */
    public static CompiledForest compile(RandomForestClassifier model) {
        CompiledForest compiled;
        try {
            compiled = build(model);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
        return compiled.agreesWith(model) ? compiled : null;
    }

    public int[] predict(double[][] x) {
        int[] predictions = new int[x.length];
        double[] sum = new double[classes];
        for (int i = 0; i < x.length; i++) {
            predictions[i] = predict(x[i], sum);
        }
        return predictions;
    }

    private int predict(double[] row, double[] sum) {
        probabilities(row, sum);
        int best = 0;
        for (int c = 1; c < sum.length; c++) {
            if (sum[c] > sum[best]) {
                best = c;
            }
        }
        return best;
    }

    private void probabilities(double[] row, double[] sum) {
        if (row.length != features) {
            throw new IllegalArgumentException("a row has " + row.length + " features, the model expects " + features);
        }
        Arrays.fill(sum, 0.0);
        int k = labels.length;
        for (int root : roots) {
            int n = root;
            while (feature[n] != LEAF) {
                // Smile's OrdinalNode: x <= value goes to the true child (NaN goes to the false child)
                n = row[feature[n]] <= threshold[n] ? trueChild[n] : falseChild[n];
            }
            int offset = trueChild[n];
            for (int c = 0; c < k; c++) {
                sum[labels[c]] += leafFractions[offset + c];
            }
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] /= roots.length;
        }
    }

    private static CompiledForest build(RandomForestClassifier model) throws ReflectiveOperationException {
        Field forestField = RandomForestClassifier.class.getDeclaredField("forest");
        forestField.setAccessible(true);
        RandomForest forest = (RandomForest) forestField.get(model);
        Field valueField = OrdinalNode.class.getDeclaredField("value");
        valueField.setAccessible(true);

        DecisionTree[] trees = forest.trees();
        int[] labels = forest.classes().clone();
        int nodes = 0;
        for (DecisionTree tree : trees) {
            nodes += count(tree.root());
        }
        Builder builder = new Builder(nodes, labels.length, valueField);
        int[] roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = builder.add(trees[t].root());
        }
        return new CompiledForest(model.featureCount(), model.classCount(), labels, roots, builder.feature,
                builder.threshold, builder.trueChild, builder.falseChild, Arrays.copyOf(builder.leaves, builder.leafCount));
    }

    private static int count(Node node) {
        if (node instanceof OrdinalNode split) {
            return 1 + count(split.trueChild()) + count(split.falseChild());
        }
        if (node instanceof DecisionNode) {
            return 1;
        }
        throw new IllegalStateException("unexpected tree node " + node.getClass().getName());
    }

    private static final class Builder {
        final int[] feature;
        final double[] threshold;
        final int[] trueChild;
        final int[] falseChild;
        final double[] leaves;
        final int classesPerLeaf;
        final Field value;
        int size;
        int leafCount;

        Builder(int nodes, int classesPerLeaf, Field value) {
            this.feature = new int[nodes];
            this.threshold = new double[nodes];
            this.trueChild = new int[nodes];
            this.falseChild = new int[nodes];
            this.leaves = new double[nodes * classesPerLeaf];
            this.classesPerLeaf = classesPerLeaf;
            this.value = value;
        }

        int add(Node node) throws IllegalAccessException {
            int n = size++;
            if (node instanceof OrdinalNode split) {
                feature[n] = split.feature();
                threshold[n] = value.getDouble(split);
                trueChild[n] = add(split.trueChild());
                falseChild[n] = add(split.falseChild());
            } else {
                int[] count = ((DecisionNode) node).count();
                if (count.length != classesPerLeaf) {
                    throw new IllegalStateException("a leaf counts " + count.length + " classes, the forest " + classesPerLeaf);
                }
                double total = 0;
                for (int c : count) {
                    total += c;
                }
                feature[n] = LEAF;
                trueChild[n] = leafCount;
                for (int c = 0; c < count.length; c++) {
                    leaves[leafCount++] = count[c] / total;
                }
            }
            return n;
        }
    }

    /**
     * Same probabilities, bit for bit, as model-core on probe rows: every split threshold of the first trees
     * exactly, just above and below, and random rows around them.
     */
    private boolean agreesWith(RandomForestClassifier model) {
        SplittableRandom random = new SplittableRandom(42);
        int probes = 400;
        double[][] rows = new double[probes][features];
        for (int i = 0; i < probes; i++) {
            for (int j = 0; j < features; j++) {
                int n = random.nextInt(feature.length);
                double base = feature[n] == LEAF ? random.nextGaussian() * 2 : threshold[n];
                rows[i][j] = switch (i % 4) {
                    case 0 -> base;
                    case 1 -> Math.nextUp(base);
                    case 2 -> Math.nextDown(base);
                    default -> random.nextGaussian() * 2;
                };
            }
        }
        double[][] expected = model.predictProbabilities(rows);
        double[] sum = new double[classes];
        for (int i = 0; i < probes; i++) {
            probabilities(rows[i], sum);
            if (!Arrays.equals(sum, expected[i])) {
                return false;
            }
        }
        return true;
    }
}
