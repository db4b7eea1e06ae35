package dev.mlops.train.service;

import dev.mlops.model.estimator.Estimators;
import dev.mlops.model.estimator.HyperParams;
import dev.mlops.model.estimator.Regressor;
import dev.mlops.model.forest.CompiledForest;
import dev.mlops.model.forest.ForestGrower;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.runtime.stage.StageWork.ProgressListener;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Grid search with k-fold cross-validation as scikit-learn's {@code GridSearchCV(estimator, grid, cv=folds)} does
 * it: for a classifier stratified folds scored by accuracy, for a regressor plain {@code KFold} (no shuffling)
 * scored by R².
 *
 * <p>A random-forest classifier's grid goes through {@link #run} ({@code shareTrees}, the default): candidates that
 * differ only in {@code n_estimators} share trees: on each fold, the trees of the smallest forest are grown once and
 * the larger forests add trees to them, so the 300-tree forest costs 300 trees, not 300 + 200 + 100. Each block of
 * added trees is a forest grown with its own seed ({@code seed}, {@code seed + 1}, ...), and a forest's prediction
 * is the mean of its trees' class probabilities, so the n-tree forest predicts as one forest of those n trees would.
 * The smallest forest is exactly {@code RandomForestClassifier.fit(..., seed)}; larger ones are equally valid
 * forests whose later trees come from other seeds than a single fit would use. Every other grid (a forest grid with
 * {@code shareTrees: false}, boosting, logistic regression, regressors) goes through {@link #runEach}, which fits
 * each candidate afresh on each fold, as {@code GridSearchCV} does.
 *
 * <p>A random-forest classifier, shared or not, is grown by model-core's {@link ForestGrower}: the trees
 * Smile's {@code RandomForest.fit} would fit, node for node, with the fold's rows sorted once for every forest
 * grown on it. Work runs in one fork-join pool, one task per (candidate or candidate group, fold), each task growing
 * its trees one after another.
 */
public final class GridSearch {

    private final int parallelism;

    /** @param parallelism worker threads; 0 means one per available processor */
    public GridSearch(int parallelism) {
        this.parallelism = parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
    }

    public int parallelism() {
        return parallelism;
    }

    /**
     * Scores every candidate; {@code progress} hears (candidates done, total) from worker threads as groups finish.
     *
     * @throws IllegalArgumentException when the data cannot be split into {@code folds} stratified folds
     */
    public GridSearchResult run(TrainingSet data, List<ForestParams> candidates, int folds, long seed,
                                ProgressListener progress) {
        return run(data, candidates, folds, seed, progress, ScoreCheckpoint.NONE);
    }

    /**
     * Scores the candidates {@code checkpoint} has not restored and keeps each group's scores in it as the group
     * finishes. A group is skipped only when every member was restored. Every tree's seed depends on its group's
     * parameters and {@code seed} only, so a resumed search scores exactly as an uninterrupted one; progress starts
     * from the restored count.
     */
    public GridSearchResult run(TrainingSet data, List<ForestParams> candidates, int folds, long seed,
                                ProgressListener progress, ScoreCheckpoint checkpoint) {
        return search(data, candidates, forestBatches(candidates, data.classLabels().size(), seed), folds, progress,
                checkpoint);
    }

    /**
     * Scores every candidate by fitting it afresh on each fold ({@link Estimators}: a classifier or, for a
     * regression training set, a regressor), keeping scores in {@code checkpoint} as each candidate finishes.
     */
    public GridSearchResult runEach(TrainingSet data, List<? extends HyperParams> candidates, int folds, long seed,
                                    ProgressListener progress, ScoreCheckpoint checkpoint) {
        return search(data, candidates, eachBatches(candidates, seed), folds, progress, checkpoint);
    }

    /** A forest grid's batches: one per group of candidates equal but for n_estimators, whose trees they share. */
    static List<Batch> forestBatches(List<ForestParams> candidates, int classes, long seed) {
        return Group.of(candidates).stream()
                .map(group -> new Batch(group.members(), (fold, f, scores, fitSeconds) ->
                        group.score(fold, f, classes, seed, scores, fitSeconds)))
                .toList();
    }

    /** One batch per candidate, fitted afresh on each fold. */
    static List<Batch> eachBatches(List<? extends HyperParams> candidates, long seed) {
        return IntStream.range(0, candidates.size())
                .mapToObj(c -> new Batch(List.of(c), (fold, f, scores, fitSeconds) -> {
                    long start = System.nanoTime();
                    scores[c][f] = fold.fitAndScore(candidates.get(c), seed);
                    fitSeconds[c][f] = (System.nanoTime() - start) / 1e9;
                }))
                .toList();
    }

    /**
     * Runs the batches the checkpoint has not restored, one task per (batch, fold). A batch is skipped only when
     * every member was restored; progress starts from the restored count.
     */
    private GridSearchResult search(TrainingSet data, List<? extends HyperParams> candidates, List<Batch> batches,
                                    int folds, ProgressListener progress, ScoreCheckpoint checkpoint) {
        long start = System.nanoTime();
        Fold[] split = Fold.split(data, candidates, folds);
        Map<Integer, CandidateScore> restored = checkpoint.restored();
        List<Batch> toScore = batches.stream()
                .filter(batch -> !restored.keySet().containsAll(batch.members())).toList();
        double[][] scores = new double[candidates.size()][folds];
        double[][] fitSeconds = new double[candidates.size()][folds];
        int toScoreCount = toScore.stream().mapToInt(batch -> batch.members().size()).sum();
        AtomicInteger done = new AtomicInteger(candidates.size() - toScoreCount);
        if (done.get() > 0) {
            progress.progress(done.get(), candidates.size());
        }

        ForkJoinPool pool = new ForkJoinPool(parallelism, GridSearch::worker, null, false);
        AtomicBoolean over = new AtomicBoolean();
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (Batch batch : toScore) {
                AtomicInteger foldsLeft = new AtomicInteger(folds);
                for (int f = 0; f < folds; f++) {
                    Fold fold = split[f];
                    int foldIndex = f;
                    tasks.add(pool.submit(() -> {
                        batch.scorer().score(fold, foldIndex, scores, fitSeconds);
                        if (foldsLeft.decrementAndGet() == 0 && !over.get()) {
                            checkpoint.scored(batch.results(candidates, scores, fitSeconds));
                            progress.progress(done.addAndGet(batch.members().size()), candidates.size());
                        }
                    }));
                }
            }
            awaitAll(tasks);
        } finally {
            over.set(true);
            pool.shutdownNow();
            checkpoint.flush();
        }

        Map<Integer, CandidateScore> all = new HashMap<>(restored);
        toScore.forEach(batch -> all.putAll(batch.results(candidates, scores, fitSeconds)));
        List<CandidateScore> results = IntStream.range(0, candidates.size()).mapToObj(all::get).toList();
        return new GridSearchResult(results, folds, (System.nanoTime() - start) / 1e9);
    }

    /** Writes one fold's score and fit seconds of each of its members into the (candidate x fold) arrays. */
    interface FoldScorer {
        void score(Fold fold, int f, double[][] scores, double[][] fitSeconds);
    }

    /** Candidates scored together (a forest group, or one candidate fitted afresh). */
    record Batch(List<Integer> members, FoldScorer scorer) {

        /** The members' scores once every fold has been scored, by candidate index. */
        Map<Integer, CandidateScore> results(List<? extends HyperParams> candidates, double[][] scores,
                                             double[][] fitSeconds) {
            Map<Integer, CandidateScore> results = new LinkedHashMap<>();
            for (int candidate : members) {
                results.put(candidate, new CandidateScore(candidates.get(candidate), scores[candidate].clone(),
                        Arrays.stream(fitSeconds[candidate]).average().orElse(0)));
            }
            return results;
        }
    }

    private static void awaitAll(List<Future<?>> tasks) {
        try {
            for (Future<?> task : tasks) {
                task.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during the grid search", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Names the pool threads grid-search-<n> (the search and the work consumer both use them). */
    public static ForkJoinWorkerThread worker(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("grid-search-" + thread.getPoolIndex());
        // the default factory gives pool threads the system class loader, which under quarkus-run.jar lacks the
        // application's libraries: a CDI bean first created on such a thread failed (ClassNotFoundException)
        thread.setContextClassLoader(GridSearch.class.getClassLoader());
        return thread;
    }

    /**
     * One cross-validation split: the rows to train on and the rows to score, with class indexes ({@code trainY},
     * {@code testY}) for a classification set or target numbers ({@code trainValues}, {@code testValues}), and for a
     * grid of random-forest classifiers the grower of its training rows.
     */
    record Fold(double[][] trainX, int[] trainY, double[] trainValues, double[][] testX, int[] testY,
                        double[] testValues, ForestGrower grower) {

        /** The folds of {@code data}; for a grid with random-forest classifiers each carries its rows' grower. */
        static Fold[] split(TrainingSet data, List<? extends HyperParams> candidates, int folds) {
            boolean forests = !data.regression() && candidates.stream().anyMatch(ForestParams.class::isInstance);
            int[] testFold = data.regression() ? KFold.testFolds(data.rows(), folds)
                    : StratifiedKFold.testFolds(data.y(), folds, data.classLabels());
            Fold[] split = new Fold[folds];
            for (int f = 0; f < folds; f++) {
                int fold = f;
                int[] train = IntStream.range(0, data.rows()).filter(i -> testFold[i] != fold).toArray();
                int[] test = IntStream.range(0, data.rows()).filter(i -> testFold[i] == fold).toArray();
                if (data.regression()) {
                    split[f] = new Fold(rows(data.x(), train), null, values(data.values(), train),
                            rows(data.x(), test), null, values(data.values(), test), null);
                } else {
                    double[][] trainX = rows(data.x(), train);
                    int[] trainY = labels(data.y(), train);
                    split[f] = new Fold(trainX, trainY, null, rows(data.x(), test), labels(data.y(), test), null,
                            forests ? new ForestGrower(trainX, trainY) : null);
                }
            }
            return split;
        }

        /** Fits {@code params}' model on the training rows: its accuracy, or R² for a regressor, on the test rows. */
        double fitAndScore(HyperParams params, long seed) {
            if (trainValues != null) {
                Regressor model = Estimators.fitRegressor(params, trainX, trainValues, seed);
                return RegressionMetrics.r2(testValues, model.predict(testX));
            }
            int[] predicted = params instanceof ForestParams forest
                    ? grower.grow(forest, seed).predict(testX)
                    : Estimators.fitClassifier(params, trainX, trainY, seed).predict(testX);
            int correct = 0;
            for (int i = 0; i < predicted.length; i++) {
                if (predicted[i] == testY[i]) {
                    correct++;
                }
            }
            return (double) correct / predicted.length;
        }

        private static double[][] rows(double[][] x, int[] indexes) {
            return Arrays.stream(indexes).mapToObj(i -> x[i]).toArray(double[][]::new);
        }

        private static int[] labels(int[] y, int[] indexes) {
            return Arrays.stream(indexes).map(i -> y[i]).toArray();
        }

        private static double[] values(double[] y, int[] indexes) {
            return Arrays.stream(indexes).mapToDouble(i -> y[i]).toArray();
        }
    }

    /** Candidates equal but for n_estimators, scored together; members sorted by tree count. */
    private record Group(List<Integer> members, List<ForestParams> params) {

        static List<Group> of(List<ForestParams> candidates) {
            Map<List<Object>, List<Integer>> byShape = new LinkedHashMap<>();
            for (int i = 0; i < candidates.size(); i++) {
                ForestParams p = candidates.get(i);
                byShape.computeIfAbsent(Arrays.asList(p.maxDepth(), p.minSamplesSplit(), p.minSamplesLeaf()),
                        key -> new ArrayList<>()).add(i);
            }
            return byShape.values().stream().map(members -> {
                List<Integer> sorted = members.stream()
                        .sorted((a, b) -> Integer.compare(candidates.get(a).nEstimators(), candidates.get(b).nEstimators()))
                        .toList();
                return new Group(sorted, sorted.stream().map(candidates::get).toList());
            }).toList();
        }

        /** Grows this group's trees on the fold's training rows and records each member's accuracy and fit time. */
        void score(Fold fold, int f, int classes, long seed, double[][] scores, double[][] fitSeconds) {
            double[][] probabilitySums = new double[fold.testX().length][classes];
            int grown = 0;
            int block = 0;
            long fitNanos = 0;
            for (int m = 0; m < members.size(); m++) {
                ForestParams target = params.get(m);
                int more = target.nEstimators() - grown;
                if (more > 0) {
                    ForestParams blockParams = new ForestParams(more, target.maxDepth(), target.minSamplesSplit(),
                            target.minSamplesLeaf());
                    long start = System.nanoTime();
                    CompiledForest forest = fold.grower().grow(blockParams, seed + block);
                    fitNanos += System.nanoTime() - start;
                    add(probabilitySums, forest.predictProbabilities(fold.testX()), more);
                    grown = target.nEstimators();
                    block++;
                }
                int candidate = members.get(m);
                scores[candidate][f] = accuracy(probabilitySums, fold.testY());
                fitSeconds[candidate][f] = fitNanos / 1e9;
            }
        }

        private static void add(double[][] sums, double[][] probabilities, int trees) {
            for (int i = 0; i < sums.length; i++) {
                for (int c = 0; c < probabilities[i].length; c++) {
                    sums[i][c] += probabilities[i][c] * trees;
                }
            }
        }

        /** Accuracy of the most probable class (the first on ties, as the forest's own predict). */
        private static double accuracy(double[][] probabilitySums, int[] truth) {
            int correct = 0;
            for (int i = 0; i < truth.length; i++) {
                double[] row = probabilitySums[i];
                int best = 0;
                for (int c = 1; c < row.length; c++) {
                    if (row[c] > row[best]) {
                        best = c;
                    }
                }
                if (best == truth[i]) {
                    correct++;
                }
            }
            return (double) correct / truth.length;
        }
    }
}
