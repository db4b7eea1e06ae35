package dev.mlops.model.forest;

import smile.base.cart.DecisionNode;
import smile.base.cart.SplitRule;
import smile.classification.DecisionTree;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.type.StructType;
import dev.mlops.model.estimator.Classifier;
import dev.mlops.model.estimator.SmileData;

import java.io.Serial;
import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

/**
 * A random-forest classifier over a numeric feature matrix: the forest Smile's {@link RandomForest} fits, configured
 * to behave like scikit-learn's {@code RandomForestClassifier}, and predicting as scikit-learn does. {@link #fit}
 * grows it with model-core's {@link ForestGrower} (the same trees, node for node, several times faster, on every
 * core) and keeps it as a {@link CompiledForest}; {@link #fitBySmile} runs Smile's own {@code RandomForest.fit},
 * the reference the grower is tested against. Bundles written before the grower took over hold Smile's forest and
 * still load and predict the same.
 *
 * <p>How scikit-learn's hyper-parameters map onto Smile's (Smile 3.1.1, {@code RandomForest.fit}):
 * <ul>
 *   <li>{@code n_estimators} -> {@code ntrees}.</li>
 *   <li>{@code max_features="sqrt"} (the default) -> {@code mtry = floor(sqrt(p))}, at least 1.</li>
 *   <li>{@code criterion="gini"} -> {@link SplitRule#GINI}.</li>
 *   <li>{@code max_depth} -> {@code maxDepth = max_depth + 1}: Smile counts the root as depth 1 and splits no
 *       node at {@code maxDepth}, scikit-learn counts the root as depth 0; both then allow {@code max_depth}
 *       levels of splits. {@code None} -> {@link Integer#MAX_VALUE}.</li>
 *   <li>{@code max_leaf_nodes=None} -> {@code maxNodes = Integer.MAX_VALUE}, which also makes Smile grow trees
 *       depth-first like scikit-learn (with a finite value Smile grows best-first and stops at that many
 *       leaves; its own default is n/5 leaves, far fewer than scikit-learn grows).</li>
 *   <li>{@code min_samples_leaf} -> {@code nodeSize} (Smile's minimum leaf size). Smile refuses any split that
 *       leaves a child smaller than it, which also means it only splits nodes of at least 2 x nodeSize.</li>
 *   <li>{@code min_samples_split} has no Smile counterpart; it is honoured as far as Smile can by raising
 *       nodeSize to {@code ceil(min_samples_split / 2)} when that is larger: nodes smaller than
 *       min_samples_split are then never split, at the price of leaves that are at least that big.</li>
 *   <li>{@code bootstrap=True} -> {@code subsample = 1.0}: n draws with replacement per tree. Smile draws per
 *       class (stratified, each class keeps its size) where scikit-learn draws from all rows at once.</li>
 *   <li>Node sizes: Smile counts bootstrap draws (a row drawn twice counts twice), scikit-learn counts distinct
 *       rows; with min_samples_leaf 1 and min_samples_split 2 (the defaults) this makes no difference.</li>
 *   <li>{@code random_state} -> one RNG seed per tree, derived from {@code seed}: the forest is the same for
 *       the same data, parameters and seed, however many threads build it.</li>
 *   <li>Prediction: the class with the highest mean of the trees' leaf class fractions, as scikit-learn's
 *       {@code predict} (Smile's own soft vote weights trees by their out-of-bag accuracy).</li>
 * </ul>
 * Differences Smile does not let us remove: when none of a node's mtry sampled features gives a split, Smile
 * makes the node a leaf where scikit-learn goes on trying the other features; and Smile merges sister leaves
 * that predict the same class, which changes leaf fractions (probabilities) but not that tree's vote.
 * Smile logs one INFO line per tree on the {@code smile} logger (only {@link #fitBySmile} calls it): services set
 * that category to WARN.
 */
public final class RandomForestClassifier implements Classifier {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Smile's forest: in bundles written before the grower, and from {@link #fitBySmile}; else null. */
    private final RandomForest forest;
    /** The forest {@link ForestGrower} grew; null when {@link #forest} holds Smile's. */
    private final CompiledForest grown;
    private final ForestParams params;
    private final long seed;
    private final int features;
    private final int classes;
    private transient DecisionTree[] trees;

    private RandomForestClassifier(RandomForest forest, CompiledForest grown, ForestParams params, long seed,
                                   int features, int classes) {
        this.forest = forest;
        this.grown = grown;
        this.params = params;
        this.seed = seed;
        this.features = features;
        this.classes = classes;
    }

    /**
     * Fits a forest on rows {@code x} with labels {@code y} (indexes 0..k-1 into the class labels), its trees grown
     * on every available processor. Deterministic: the same data, parameters and seed give the same forest, the one
     * {@link #fitBySmile} fits.
     */
    public static RandomForestClassifier fit(double[][] x, int[] y, ForestParams params, long seed) {
        CompiledForest forest = new ForestGrower(x, y).grow(params, seed, Runtime.getRuntime().availableProcessors());
        return new RandomForestClassifier(null, forest, params, seed, forest.features(), forest.classes());
    }

    /** The same forest as {@link #fit}, fitted by Smile's own {@code RandomForest.fit} and held as Smile's model. */
    static RandomForestClassifier fitBySmile(double[][] x, int[] y, ForestParams params, long seed) {
        DataFrame data = SmileData.classes(x, y);
        int p = x[0].length;
        RandomForest forest = RandomForest.fit(Formula.lhs(SmileData.LABEL), data, params.nEstimators(), mtry(p),
                SplitRule.GINI, params.smileMaxDepth(), Integer.MAX_VALUE, nodeSize(params), 1.0, null,
                LongStream.of(treeSeeds(seed, params.nEstimators())));
        return new RandomForestClassifier(forest, null, params, seed, p, classCount(y));
    }

    /** Smile's mtry for scikit-learn's {@code max_features="sqrt"} on {@code p} features. */
    static int mtry(int p) {
        return Math.max(1, (int) Math.floor(Math.sqrt(p)));
    }

    /** Smile's nodeSize: {@code min_samples_leaf}, raised to honour {@code min_samples_split} (see above). */
    static int nodeSize(ForestParams params) {
        return Math.max(params.minSamplesLeaf(), (params.minSamplesSplit() + 1) / 2);
    }

    /**
     * Each tree's RNG seed, as Smile takes them from the stream {@link #fitBySmile} gives it: distinct values, and all
     * above 1 (Smile seeds a tree's RNG only with values > 1).
     */
    static long[] treeSeeds(long seed, int trees) {
        return new SplittableRandom(seed).longs(2, Long.MAX_VALUE).distinct().limit(trees).toArray();
    }

    /** The number of label indexes a forest fitted on {@code y} answers with (the largest label + 1). */
    static int classCount(int[] y) {
        return Arrays.stream(y).max().orElseThrow() + 1;
    }

    /**
     * A forest Smile fitted some other way, say on a data frame with a categorical column (the tests' forest that
     * {@link CompiledForest} refuses): {@link #fit} is how this project makes forests.
     */
    static RandomForestClassifier of(RandomForest forest, ForestParams params, long seed, int features, int classes) {
        return new RandomForestClassifier(forest, null, params, seed, features, classes);
    }

    /** Smile's forest, for {@link CompiledForest} to copy; null for a grown forest. */
    RandomForest smileForest() {
        return forest;
    }

    /** The grown forest; null when this classifier holds Smile's. */
    CompiledForest grown() {
        return grown;
    }

    @Override
    public int predict(double[] row) {
        double[] probabilities = probabilities(row);
        int best = 0;
        for (int c = 1; c < probabilities.length; c++) {
            if (probabilities[c] > probabilities[best]) {
                best = c;
            }
        }
        return best;
    }

    @Override
    public int[] predict(double[][] x) {
        return grown != null ? grown.predict(x) : Classifier.super.predict(x);
    }

    /** Per row, the probability of each label index (column c = label c): the mean over trees of leaf fractions. */
    public double[][] predictProbabilities(double[][] x) {
        if (grown != null) {
            return grown.predictProbabilities(x);
        }
        double[][] probabilities = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            probabilities[i] = probabilities(x[i]);
        }
        return probabilities;
    }

    public ForestParams params() {
        return params;
    }

    @Override
    public Map<String, String> hyperParameters() {
        return params.asSklearnParams();
    }

    public long seed() {
        return seed;
    }

    @Override
    public int featureCount() {
        return features;
    }

    /** The number of label indexes this forest answers with (the largest training label + 1). */
    @Override
    public int classCount() {
        return classes;
    }

    public int treeCount() {
        return grown != null ? grown.trees() : forest.size();
    }

    private double[] probabilities(double[] row) {
        SmileData.checkRow(row, features);
        if (grown != null) {
            double[] probabilities = new double[classes];
            grown.probabilities(row, probabilities);
            return probabilities;
        }
        StructType schema = forest.schema();
        Tuple tuple = Tuple.of(row, schema);
        int[] labels = forest.classes();
        double[] sum = new double[classes];
        if (trees == null) {
            trees = forest.trees();
        }
        for (DecisionTree tree : trees) {
            int[] count = ((DecisionNode) tree.root().predict(tuple)).count();
            double total = 0;
            for (int c : count) {
                total += c;
            }
            for (int c = 0; c < count.length; c++) {
                sum[labels[c]] += count[c] / total;
            }
        }
        for (int c = 0; c < sum.length; c++) {
            sum[c] /= trees.length;
        }
        return sum;
    }
}
