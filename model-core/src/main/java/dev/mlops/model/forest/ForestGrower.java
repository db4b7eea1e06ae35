package dev.mlops.model.forest;

import dev.mlops.model.estimator.SmileData;
import smile.math.random.MersenneTwister;
import smile.sort.QuickSort;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Grows the forests Smile's {@code RandomForest.fit} grows as {@link RandomForestClassifier#fitBySmile} configures
 * it, tree for tree, straight into a {@link CompiledForest}:
 * for the same rows, labels, parameters and seed, the same bootstrap draws, the same candidate features at each
 * node, the same splits and thresholds, the same merged sister leaves and so the same leaf class fractions and
 * predictions (ForestGrowerTest compares every node with Smile's). It follows Smile 3.1.1's
 * {@code RandomForest.fit} / {@code CART} / {@code classification.DecisionTree} step for step, including its RNG
 * calls (a Mersenne twister seeded per tree) and its floating-point expressions, without what a grid search does
 * not need: the rows are sorted per feature once per training set instead of once per forest, a tree is grown on
 * primitive arrays (no data frame, tuples, streams or per-split allocations of Smile's node objects), and there is
 * no out-of-bag scoring or per-tree log line. Only what {@link RandomForestClassifier#fitBySmile} configures is
 * supported: numeric features, Gini splits, bootstrap draws per class, depth-first growth with no leaf limit.
 *
 * <p>Thread-safe: one grower per training set, shared by threads that each grow their own forests.
 */
public final class ForestGrower {

    private final int rows;
    private final int features;
    /** Feature values by column: {@code columns[j][row]}. */
    private final double[][] columns;
    /** Each row's label index into {@link #labels} (Smile's class encoding). */
    private final int[] y;
    /** The distinct labels, sorted. */
    private final int[] labels;
    private final int classCount;
    /** Each class's rows, in row order (Smile's stratified bootstrap draws from these). */
    private final int[][] classRows;
    /** Per feature, the rows sorted by value as Smile's {@code CART.order} sorts them (ties as its quicksort leaves them). */
    private final int[][] order;

    /**
     * @param x rows of numeric features
     * @param y class indexes (0..k-1) of at least two classes
     */
    public ForestGrower(double[][] x, int[] y) {
        this.features = SmileData.checkClasses(x, y);
        this.rows = x.length;
        this.labels = Arrays.stream(y).distinct().sorted().toArray();
        this.classCount = RandomForestClassifier.classCount(y);
        this.y = new int[rows];
        int[] perClass = new int[labels.length];
        for (int i = 0; i < rows; i++) {
            this.y[i] = Arrays.binarySearch(labels, y[i]);
            perClass[this.y[i]]++;
        }
        this.classRows = new int[labels.length][];
        for (int c = 0; c < labels.length; c++) {
            classRows[c] = new int[perClass[c]];
        }
        int[] filled = new int[labels.length];
        for (int i = 0; i < rows; i++) {
            classRows[this.y[i]][filled[this.y[i]]++] = i;
        }
        this.columns = new double[features][rows];
        this.order = new int[features][];
        for (int j = 0; j < features; j++) {
            for (int i = 0; i < rows; i++) {
                columns[j][i] = x[i][j];
            }
            order[j] = QuickSort.sort(columns[j].clone());
        }
    }

    /**
     * The forest Smile's {@code RandomForest.fit} fits with {@code RandomForestClassifier}'s configuration for these
     * rows, parameters and seed, as a {@link CompiledForest}, grown on the calling thread.
     */
    public CompiledForest grow(ForestParams params, long seed) {
        long[] seeds = RandomForestClassifier.treeSeeds(seed, params.nEstimators());
        return growTrees(params, seeds, 0, seeds.length).compile(features, classCount, labels);
    }

    /**
     * The same forest as {@link #grow(ForestParams, long)}, its trees grown on up to {@code threads} threads, each
     * growing a contiguous run of trees with its own work arrays (every tree has its own seed, so the forest does
     * not depend on the thread count).
     */
    public CompiledForest grow(ForestParams params, long seed, int threads) {
        long[] seeds = RandomForestClassifier.treeSeeds(seed, params.nEstimators());
        int parts = Math.max(1, Math.min(threads, seeds.length));
        if (parts == 1) {
            return growTrees(params, seeds, 0, seeds.length).compile(features, classCount, labels);
        }
        List<CompletableFuture<Forest>> runs = new ArrayList<>(parts);
        ExecutorService pool = Executors.newFixedThreadPool(parts - 1);
        try {
            for (int p = 1; p < parts; p++) {
                int from = seeds.length * p / parts;
                int to = seeds.length * (p + 1) / parts;
                runs.add(CompletableFuture.supplyAsync(() -> growTrees(params, seeds, from, to), pool));
            }
            Forest forest = growTrees(params, seeds, 0, seeds.length / parts);
            for (CompletableFuture<Forest> run : runs) {
                forest.append(run.join());
            }
            return forest.compile(features, classCount, labels);
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Trees {@code from..to-1} of {@code seeds}, one after another into one {@link Forest}. */
    private Forest growTrees(ForestParams params, long[] seeds, int from, int to) {
        Forest forest = new Forest(labels.length, to - from);
        TreeGrowth growth = new TreeGrowth(forest, params);
        for (int t = from; t < to; t++) {
            forest.roots[t - from] = growth.grow(seeds[t]);
        }
        return forest;
    }

    /** The best split of a node: rows with {@code x[feature] <= value} go to the true child. */
    private record Split(int feature, double value, double score, boolean[] unsplittable) {
    }

    /** One forest's nodes, tree after tree, each tree depth first; a leaf keeps its class counts until compiled. */
    private static final class Forest {
        final int k;
        int[] roots;
        int[] feature = new int[1024];
        double[] threshold = new double[1024];
        int[] trueChild = new int[1024];
        int[] falseChild = new int[1024];
        int[] counts;
        int size;

        Forest(int k, int trees) {
            this.k = k;
            this.roots = new int[trees];
            this.counts = new int[1024 * k];
        }

        int leaf(int[] count) {
            int n = next();
            feature[n] = CompiledForest.LEAF;
            System.arraycopy(count, 0, counts, n * k, k);
            return n;
        }

        int next() {
            reserve(size + 1);
            return size++;
        }

        /** Grows the node arrays, doubling them, to hold at least {@code nodes} nodes. */
        private void reserve(int nodes) {
            if (nodes > feature.length) {
                int capacity = Math.max(nodes, feature.length * 2);
                feature = Arrays.copyOf(feature, capacity);
                threshold = Arrays.copyOf(threshold, capacity);
                trueChild = Arrays.copyOf(trueChild, capacity);
                falseChild = Arrays.copyOf(falseChild, capacity);
                counts = Arrays.copyOf(counts, capacity * k);
            }
        }

        /** Appends {@code later}'s trees after this forest's, its node indexes shifted past this forest's nodes. */
        void append(Forest later) {
            int shift = size;
            int trees = roots.length;
            roots = Arrays.copyOf(roots, trees + later.roots.length);
            for (int t = 0; t < later.roots.length; t++) {
                roots[trees + t] = later.roots[t] + shift;
            }
            reserve(size + later.size);
            System.arraycopy(later.feature, 0, feature, shift, later.size);
            System.arraycopy(later.threshold, 0, threshold, shift, later.size);
            System.arraycopy(later.trueChild, 0, trueChild, shift, later.size);
            System.arraycopy(later.falseChild, 0, falseChild, shift, later.size);
            System.arraycopy(later.counts, 0, counts, shift * k, later.size * k);
            size += later.size;
            for (int n = shift; n < size; n++) {
                if (feature[n] != CompiledForest.LEAF) {
                    trueChild[n] += shift;
                    falseChild[n] += shift;
                }
            }
        }

        int leafOutput(int leaf) {
            return ForestGrower.output(counts, leaf * k, k);
        }

        /** Leaf fractions as {@link CompiledForest}'s copier computes them from Smile's leaf counts. */
        CompiledForest compile(int features, int classCount, int[] labels) {
            int leaves = 0;
            for (int n = 0; n < size; n++) {
                if (feature[n] == CompiledForest.LEAF) {
                    leaves++;
                }
            }
            double[] fractions = new double[leaves * k];
            int leaf = 0;
            for (int n = 0; n < size; n++) {
                if (feature[n] == CompiledForest.LEAF) {
                    double total = 0;
                    for (int c = 0; c < k; c++) {
                        total += counts[n * k + c];
                    }
                    trueChild[n] = leaf * k;
                    for (int c = 0; c < k; c++) {
                        fractions[leaf * k + c] = counts[n * k + c] / total;
                    }
                    leaf++;
                }
            }
            return CompiledForest.grown(features, classCount, labels.clone(), roots, Arrays.copyOf(feature, size),
                    Arrays.copyOf(threshold, size), Arrays.copyOf(trueChild, size), Arrays.copyOf(falseChild, size),
                    fractions);
        }
    }

    /**
     * Grows one tree after another into a {@link Forest}, reusing its work arrays. The comments name the Smile code
     * each step reproduces.
     */
    private final class TreeGrowth {
        final Forest forest;
        final int k = labels.length;
        final int mtry;
        final int maxDepth;
        final int nodeSize;
        final MersenneTwister random = new MersenneTwister();
        /** Bootstrap draws per row. */
        final int[] samples = new int[rows];
        /** The drawn rows of the tree, each node's rows a range of it. */
        final int[] index = new int[rows];
        /** Per feature, the drawn rows sorted by value, each node's rows the same range as in {@link #index}. */
        final int[][] sorted = new int[features][rows];
        final int[] buffer = new int[rows];
        final boolean[] goesTrue = new boolean[rows];
        final int[] candidateColumns = new int[features];
        final int[] trueCounts;
        final int[] falseCounts;

        TreeGrowth(Forest forest, ForestParams params) {
            this.forest = forest;
            this.mtry = RandomForestClassifier.mtry(features);
            this.maxDepth = params.smileMaxDepth();
            this.nodeSize = RandomForestClassifier.nodeSize(params);
            this.trueCounts = new int[k];
            this.falseCounts = new int[k];
        }

        /** Grows the tree of {@code seed}: its root node's index. */
        int grow(long seed) {
            // RandomForest.fit: MathEx.setSeed(seed) (the twister is all its tree code draws from), then per class
            // as many draws with replacement as the class has rows
            random.setSeed(seed);
            Arrays.fill(samples, 0);
            for (int[] members : classRows) {
                for (int j = 0; j < members.length; j++) {
                    samples[members[random.nextInt(members.length)]]++;
                }
            }
            // CART's constructor: the drawn rows in row order, and each feature's order filtered to them
            int drawn = 0;
            int[] count = new int[k];
            for (int i = 0; i < rows; i++) {
                if (samples[i] > 0) {
                    index[drawn++] = i;
                }
                count[y[i]] += samples[i];
            }
            for (int j = 0; j < features; j++) {
                int[] all = order[j];
                int[] kept = sorted[j];
                int m = 0;
                for (int row : all) {
                    if (samples[row] > 0) {
                        kept[m++] = row;
                    }
                }
            }
            // DecisionTree's constructor: the root's best split, then depth-first splits; merge() on the way back up
            Split split = bestSplit(0, drawn, count, new boolean[features]);
            return grow(0, drawn, count, split, 1);
        }

        /**
         * CART.split for the node of rows {@code [lo, hi)} with class counts {@code count} and best split
         * {@code split} (null when it has none) at {@code depth}, followed by InternalNode.merge of its subtree: the
         * node's index.
         */
        private int grow(int lo, int hi, int[] count, Split split, int depth) {
            if (split == null || depth >= maxDepth) {
                return forest.leaf(count);
            }
            double[] column = columns[split.feature()];
            double value = split.value();
            int[] trueCount = new int[k];
            int[] falseCount = new int[k];
            int mid = lo;
            for (int i = lo; i < hi; i++) {
                int row = index[i];
                boolean isTrue = column[row] <= value;
                goesTrue[row] = isTrue;
                if (isTrue) {
                    trueCount[y[row]] += samples[row];
                    mid++;
                } else {
                    falseCount[y[row]] += samples[row];
                }
            }
            for (int[] rowsByValue : sorted) {
                partition(rowsByValue, lo, hi, mid);
            }
            partition(index, lo, hi, mid);

            Split trueSplit = bestSplit(lo, mid, trueCount, split.unsplittable().clone());
            Split falseSplit = bestSplit(mid, hi, falseCount, split.unsplittable());
            if (trueSplit == null && falseSplit == null && output(trueCount) == output(falseCount)) {
                return forest.leaf(count); // Smile prunes the split: both children would be leaves of one class
            }
            int node = forest.next();
            int trueChild = grow(lo, mid, trueCount, trueSplit, depth + 1);
            int falseChild = grow(mid, hi, falseCount, falseSplit, depth + 1);
            if (forest.feature[trueChild] == CompiledForest.LEAF && forest.feature[falseChild] == CompiledForest.LEAF
                    && forest.leafOutput(trueChild) == forest.leafOutput(falseChild)) {
                // InternalNode.merge: sister leaves of one class become one leaf (they are the last two nodes)
                int[] merged = new int[k];
                for (int c = 0; c < k; c++) {
                    merged[c] = forest.counts[trueChild * k + c] + forest.counts[falseChild * k + c];
                }
                forest.size = node;
                return forest.leaf(merged);
            }
            forest.feature[node] = split.feature();
            forest.threshold[node] = value;
            forest.trueChild[node] = trueChild;
            forest.falseChild[node] = falseChild;
            return node;
        }

        /** CART.shuffle: rows of {@code [lo, hi)} going true first, both sides in their order. */
        private void partition(int[] a, int lo, int hi, int mid) {
            int t = lo;
            int f = 0;
            for (int i = lo; i < hi; i++) {
                int row = a[i];
                if (goesTrue[row]) {
                    a[t++] = row;
                } else {
                    buffer[f++] = row;
                }
            }
            System.arraycopy(buffer, 0, a, mid, f);
        }

        /** CART.findBestSplit(node, lo, hi, unsplittable): the best of mtry randomly chosen features, or null. */
        private Split bestSplit(int lo, int hi, int[] count, boolean[] unsplittable) {
            int size = 0;
            for (int c : count) {
                size += c;
            }
            if (size < 2 * nodeSize) {
                return null;
            }
            double impurity = gini(size, count);
            if (impurity == 0.0) {
                return null;
            }
            int candidates = 0;
            for (int j = 0; j < features; j++) {
                if (!unsplittable[j]) {
                    candidateColumns[candidates++] = j;
                }
            }
            if (mtry < features) {
                // MathEx.permutate(columns)
                for (int i = 0; i < candidates; i++) {
                    int j = i + random.nextInt(candidates - i);
                    int swap = candidateColumns[i];
                    candidateColumns[i] = candidateColumns[j];
                    candidateColumns[j] = swap;
                }
            }
            Split best = null;
            for (int q = 0; q < Math.min(mtry, candidates); q++) {
                int j = candidateColumns[q];
                Split split = bestSplit(j, lo, hi, count, size, impurity);
                if (split == null) {
                    unsplittable[j] = true;
                } else if (best == null || split.score() > best.score()) {
                    best = split;
                }
            }
            return best == null ? null : new Split(best.feature(), best.value(), best.score(), unsplittable);
        }

        /** DecisionTree.findBestSplit(leaf, j, impurity, lo, hi) for a numeric feature. */
        private Split bestSplit(int j, int lo, int hi, int[] count, int size, double impurity) {
            double[] x = columns[j];
            int[] rowsByValue = sorted[j];
            Arrays.fill(trueCounts, 0);
            double splitScore = 0.0;
            double splitValue = 0.0;
            int first = rowsByValue[lo];
            double prevx = x[first];
            int prevy = y[first];
            int trueSize = 0;
            for (int i = lo; i < hi; i++) {
                int o = rowsByValue[i];
                int yi = y[o];
                double xij = x[o];
                int tc = 0;
                int fc = 0;
                if (yi != prevy && !(Math.abs(xij - prevx) < 1E-7)) {
                    tc = trueSize;
                    fc = size - tc;
                }
                if (tc >= nodeSize && fc >= nodeSize) {
                    for (int l = 0; l < k; l++) {
                        falseCounts[l] = count[l] - trueCounts[l];
                    }
                    double gain = impurity - (double) tc / size * gini(tc, trueCounts)
                            - (double) fc / size * gini(fc, falseCounts);
                    if (gain > splitScore) {
                        splitValue = (xij + prevx) / 2;
                        splitScore = gain;
                    }
                }
                prevx = xij;
                prevy = yi;
                trueCounts[prevy] += samples[o];
                trueSize += samples[o];
            }
            return splitScore > 0.0 ? new Split(j, splitValue, splitScore, null) : null;
        }
    }

    /** DecisionNode.impurity(GINI, size, count). */
    private static double gini(int size, int[] count) {
        double squaredSum = 0;
        for (int c : count) {
            if (c > 0) {
                squaredSum += (double) c * c;
            }
        }
        return 1 - squaredSum / ((double) size * size);
    }

    /** DecisionNode's output, MathEx.whichMax(count): the first class with the highest count. */
    private static int output(int[] count) {
        return output(count, 0, count.length);
    }

    private static int output(int[] counts, int offset, int k) {
        int which = 0;
        for (int c = 1; c < k; c++) {
            if (counts[offset + c] > counts[offset + which]) {
                which = c;
            }
        }
        return which;
    }
}
