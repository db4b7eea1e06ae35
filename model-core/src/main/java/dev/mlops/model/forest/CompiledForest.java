package dev.mlops.model.forest;

import smile.base.cart.DecisionNode;
import smile.base.cart.InternalNode;
import smile.base.cart.Node;
import smile.base.cart.OrdinalNode;
import smile.classification.DecisionTree;
import smile.classification.RandomForest;
import smile.data.Tuple;
import smile.data.type.StructType;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;

/**
 * A random forest in flat arrays, so that a prediction walks arrays instead of Smile's node objects (2-4x faster
 * for the 200-tree forests the grid search picks): how {@link ForestGrower} grows a forest, and how a forest that
 * Smile fitted (a bundle written before the grower) is copied. It computes exactly what Smile's forest computes
 * through {@link RandomForestClassifier#predict(double[])}, the mean of the trees' leaf class fractions, with the
 * same floating-point operations in the same order; for a copy, {@link #compile} proves that with
 * {@link ThresholdProbes} before it hands the copy out. {@link ForestPredictor} is the way in for callers.
 */
public final class CompiledForest implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    static final int LEAF = -1;

    private final int features;
    private final int classes;
    private final int[] labels;
    private final int[] roots;
    private final int[] feature;
    private final double[] threshold;
    /** For a split the child taken when {@code x <= threshold}; for a leaf the offset of its fractions. */
    private final int[] trueChild;
    private final int[] falseChild;
    private final double[] leafFractions;
    /**
     * The Smile leaf each flat leaf was copied from (all of them are kept alive by the model anyway); null for a
     * forest {@link ForestGrower} grew straight into arrays.
     */
    private final transient DecisionNode[] smileLeaves;

    private CompiledForest(int features, int classes, int[] labels, int[] roots, int[] feature, double[] threshold,
                           int[] trueChild, int[] falseChild, double[] leafFractions, DecisionNode[] smileLeaves) {
        this.features = features;
        this.classes = classes;
        this.labels = labels;
        this.roots = roots;
        this.feature = feature;
        this.threshold = threshold;
        this.trueChild = trueChild;
        this.falseChild = falseChild;
        this.leafFractions = leafFractions;
        this.smileLeaves = smileLeaves;
    }

    /**
     * The flat forest of {@code model}: the one {@link ForestGrower} grew, or for Smile's forest a flat copy, checked
     * to reach the same leaf as Smile just below, at and just above every split threshold it holds, and to give
     * bit-identical probabilities.
     *
     * @throws ForestNotCompiledException when the forest has a node the flat copy cannot express (a categorical
     *         split), the check finds a difference, or Smile fails in a way nobody foresaw (its exception is the
     *         cause)
     */
    public static CompiledForest compile(RandomForestClassifier model) throws ForestNotCompiledException {
        if (model.grown() != null) {
            return model.grown();
        }
        try {
            return copyAndCheck(model);
        } catch (RuntimeException e) {
            throw new ForestNotCompiledException("copying Smile's forest failed: " + e, e);
        }
    }

    private static CompiledForest copyAndCheck(RandomForestClassifier model) throws ForestNotCompiledException {
        RandomForest forest = model.smileForest();
        DecisionTree[] trees = forest.trees();
        int[] labels = forest.classes().clone();
        int nodes = 0;
        for (DecisionTree tree : trees) {
            nodes += Copier.count(tree.root());
        }
        Copier copier = new Copier(nodes, labels.length, model.featureCount(), forest.schema());
        int[] roots = new int[trees.length];
        for (int t = 0; t < trees.length; t++) {
            roots[t] = copier.add(trees[t].root(), t);
        }
        CompiledForest compiled = new CompiledForest(model.featureCount(), model.classCount(), labels, roots,
                copier.feature, copier.threshold, copier.trueChild, copier.falseChild,
                Arrays.copyOf(copier.fractions, copier.leafCount * labels.length), copier.leaves());
        new ThresholdProbes(compiled, model).check();
        return compiled;
    }

    /**
     * A forest {@link ForestGrower} grew into arrays laid out as {@link #compile} lays out a copy: nodes depth first
     * (a split, its true subtree, its false subtree), tree after tree, a leaf's {@code trueChild} the offset of its
     * class fractions.
     */
    static CompiledForest grown(int features, int classes, int[] labels, int[] roots, int[] feature,
                                double[] threshold, int[] trueChild, int[] falseChild, double[] leafFractions) {
        return new CompiledForest(features, classes, labels, roots, feature, threshold, trueChild, falseChild,
                leafFractions, null);
    }

    public int[] predict(double[][] x) {
        int[] predictions = new int[x.length];
        double[] sum = new double[classes];
        for (int i = 0; i < x.length; i++) {
            probabilities(x[i], sum);
            int best = 0;
            for (int c = 1; c < sum.length; c++) {
                if (sum[c] > sum[best]) {
                    best = c;
                }
            }
            predictions[i] = best;
        }
        return predictions;
    }

    /**
     * Per row, the probability of each label index (column c = label c), exactly as
     * {@link RandomForestClassifier#predictProbabilities} gives them.
     */
    public double[][] predictProbabilities(double[][] x) {
        double[][] probabilities = new double[x.length][classes];
        for (int i = 0; i < x.length; i++) {
            probabilities(x[i], probabilities[i]);
        }
        return probabilities;
    }

    /** Writes the probability of each label index for {@code row} into {@code sum}. */
    void probabilities(double[] row, double[] sum) {
        if (row.length != features) {
            throw new IllegalArgumentException("a row has " + row.length + " features, the model expects " + features);
        }
        Arrays.fill(sum, 0.0);
        int k = labels.length;
        for (int root : roots) {
            int offset = trueChild[leaf(root, row)];
            for (int c = 0; c < k; c++) {
                sum[labels[c]] += leafFractions[offset + c];
            }
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] /= roots.length;
        }
    }

    /** The leaf node {@code row} reaches from node {@code n}. */
    int leaf(int n, double[] row) {
        while (feature[n] != LEAF) {
            // Smile's OrdinalNode: x <= value goes to the true child (NaN goes to the false child)
            n = row[feature[n]] <= threshold[n] ? trueChild[n] : falseChild[n];
        }
        return n;
    }

    /** A copy with one threshold moved, for the self-check's own test: the check must refuse it. */
    CompiledForest withThreshold(int node, double value) {
        double[] moved = threshold.clone();
        moved[node] = value;
        return new CompiledForest(features, classes, labels, roots, feature, moved, trueChild, falseChild,
                leafFractions, smileLeaves);
    }

    /** The Smile leaf that flat leaf {@code node} was copied from. */
    DecisionNode smileLeaf(int node) {
        return smileLeaves[trueChild[node] / labels.length];
    }

    int nodes() {
        return feature.length;
    }

    /** The class fractions of leaf {@code node}, one per label index of {@link #labels()}. */
    double[] leafFractions(int node) {
        return Arrays.copyOfRange(leafFractions, trueChild[node], trueChild[node] + labels.length);
    }

    int[] labels() {
        return labels.clone();
    }

    int features() {
        return features;
    }

    int classes() {
        return classes;
    }

    int root(int tree) {
        return roots[tree];
    }

    int trees() {
        return roots.length;
    }

    int feature(int node) {
        return feature[node];
    }

    double threshold(int node) {
        return threshold[node];
    }

    int trueChild(int node) {
        return trueChild[node];
    }

    int falseChild(int node) {
        return falseChild[node];
    }

    /** Copies Smile's nodes depth first, and which Smile leaf each flat leaf came from. */
    private static final class Copier {
        final int[] feature;
        final double[] threshold;
        final int[] trueChild;
        final int[] falseChild;
        final double[] fractions;
        final DecisionNode[] leaves;
        final int classesPerLeaf;
        final double[] row;
        final StructType schema;
        int size;
        int leafCount;

        Copier(int nodes, int classesPerLeaf, int features, StructType schema) {
            this.feature = new int[nodes];
            this.threshold = new double[nodes];
            this.trueChild = new int[nodes];
            this.falseChild = new int[nodes];
            this.fractions = new double[nodes * classesPerLeaf];
            this.leaves = new DecisionNode[nodes];
            this.classesPerLeaf = classesPerLeaf;
            this.row = new double[features];
            this.schema = schema;
        }

        DecisionNode[] leaves() {
            return Arrays.copyOf(leaves, leafCount);
        }

        static int count(Node node) {
            return node instanceof InternalNode split ? 1 + count(split.trueChild()) + count(split.falseChild()) : 1;
        }

        int add(Node node, int tree) throws ForestNotCompiledException {
            int n = size++;
            if (node instanceof OrdinalNode split) {
                feature[n] = split.feature();
                threshold[n] = threshold(split, tree);
                trueChild[n] = add(split.trueChild(), tree);
                falseChild[n] = add(split.falseChild(), tree);
            } else if (node instanceof DecisionNode leaf) {
                int[] count = leaf.count();
                if (count.length != classesPerLeaf) {
                    throw new ForestNotCompiledException("tree " + tree + " has a leaf counting " + count.length
                            + " classes, the forest has " + classesPerLeaf);
                }
                double total = 0;
                for (int c : count) {
                    total += c;
                }
                feature[n] = LEAF;
                trueChild[n] = leafCount * classesPerLeaf;
                for (int c = 0; c < count.length; c++) {
                    fractions[leafCount * classesPerLeaf + c] = count[c] / total;
                }
                leaves[leafCount++] = leaf;
            } else {
                throw new ForestNotCompiledException("tree " + tree + " has a " + node.getClass().getSimpleName()
                        + ": only numeric (x <= threshold) splits can be compiled, not categorical ones");
            }
            return n;
        }

        /**
         * Smile's threshold {@code t} of {@code split} ({@code x <= t} takes the true child): Smile 3.1.1 keeps it in a
         * package-private field with no getter and its {@code toString} rounds it to 6 digits, so it is found through
         * the public {@link OrdinalNode#branch}: the largest double that still branches true, by halving the doubles
         * (ordered as longs) 64 times.
         */
        private double threshold(OrdinalNode split, int tree) throws ForestNotCompiledException {
            long low = ordered(Double.NEGATIVE_INFINITY);
            long high = ordered(Double.POSITIVE_INFINITY);
            if (!branchesTrue(split, low) || branchesTrue(split, high)) {
                throw new ForestNotCompiledException("tree " + tree + " has a split on feature " + split.feature()
                        + " that is not of the form x <= threshold");
            }
            // low branches true, high does not; high - low read as unsigned (it exceeds Long.MAX_VALUE at first)
            while (Long.compareUnsigned(high - low, 1) > 0) {
                long middle = low + ((high - low) >>> 1);
                if (branchesTrue(split, middle)) {
                    low = middle;
                } else {
                    high = middle;
                }
            }
            return fromOrdered(low);
        }

        private boolean branchesTrue(OrdinalNode split, long orderedX) {
            row[split.feature()] = fromOrdered(orderedX);
            return split.branch(Tuple.of(row, schema));
        }

        /** The bits of {@code x} as a long that orders like the double (-0.0 just before 0.0; no NaN in between). */
        private static long ordered(double x) {
            long bits = Double.doubleToRawLongBits(x);
            return bits ^ ((bits >> 63) & Long.MAX_VALUE);
        }

        private static double fromOrdered(long ordered) {
            return Double.longBitsToDouble(ordered ^ ((ordered >> 63) & Long.MAX_VALUE));
        }
    }
}
