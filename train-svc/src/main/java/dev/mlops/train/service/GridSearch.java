package dev.mlops.train.service;

import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
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
 * Grid search with stratified k-fold cross-validation, scored by accuracy, like scikit-learn's
 * {@code GridSearchCV(RandomForestClassifier(random_state=seed), grid, cv=folds)}.
 *
 * <p>Candidates that differ only in {@code n_estimators} share trees: on each fold, the trees of the smallest
 * forest are grown once and the larger forests add trees to them, so the 300-tree forest costs 300 trees,
 * not 300 + 200 + 100. Each block of added trees is a forest grown with its own seed ({@code seed},
 * {@code seed + 1}, ...), and a forest's prediction is the mean of its trees' class probabilities, so the
 * n-tree forest predicts as one forest of those n trees would. The smallest forest is exactly
 * {@code RandomForestClassifier.fit(..., seed)}; larger ones are equally valid forests whose later trees come from
 * other seeds than a single fit would use.
 *
 * <p>Work runs in one fork-join pool: one task per (candidate group, fold), and Smile's own per-tree parallelism
 * inside a task joins the same pool, so the cores stay busy to the last task without oversubscribing them.
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
        long start = System.nanoTime();
        Fold[] split = Fold.split(data, folds);
        Map<Integer, CandidateScore> restored = checkpoint.restored();
        List<Group> toScore = Group.of(candidates).stream()
                .filter(group -> !restored.keySet().containsAll(group.members)).toList();
        double[][] scores = new double[candidates.size()][folds];
        double[][] fitSeconds = new double[candidates.size()][folds];
        int toScoreCount = toScore.stream().mapToInt(group -> group.members.size()).sum();
        AtomicInteger done = new AtomicInteger(candidates.size() - toScoreCount);
        if (done.get() > 0) {
            progress.progress(done.get(), candidates.size());
        }
        int classes = data.classLabels().size();

        ForkJoinPool pool = new ForkJoinPool(parallelism, GridSearch::worker, null, false);
        AtomicBoolean over = new AtomicBoolean();
        try {
            List<Future<?>> tasks = new ArrayList<>();
            for (Group group : toScore) {
                AtomicInteger foldsLeft = new AtomicInteger(folds);
                for (int f = 0; f < folds; f++) {
                    Fold fold = split[f];
                    int foldIndex = f;
                    tasks.add(pool.submit(() -> {
                        group.score(fold, foldIndex, classes, seed, scores, fitSeconds);
                        if (foldsLeft.decrementAndGet() == 0 && !over.get()) {
                            checkpoint.scored(group.results(scores, fitSeconds));
                            progress.progress(done.addAndGet(group.members.size()), candidates.size());
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
        toScore.forEach(group -> all.putAll(group.results(scores, fitSeconds)));
        List<CandidateScore> results = IntStream.range(0, candidates.size()).mapToObj(all::get).toList();
        return new GridSearchResult(results, folds, (System.nanoTime() - start) / 1e9);
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

    private static ForkJoinWorkerThread worker(ForkJoinPool pool) {
        ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
        thread.setName("grid-search-" + thread.getPoolIndex());
        return thread;
    }

    /** One cross-validation split: the rows to train on and the rows to score. */
    private record Fold(double[][] trainX, int[] trainY, double[][] testX, int[] testY) {

        static Fold[] split(TrainingSet data, int folds) {
            int[] testFold = StratifiedKFold.testFolds(data.y(), folds, data.classLabels());
            Fold[] split = new Fold[folds];
            for (int f = 0; f < folds; f++) {
                int fold = f;
                int[] train = IntStream.range(0, data.rows()).filter(i -> testFold[i] != fold).toArray();
                int[] test = IntStream.range(0, data.rows()).filter(i -> testFold[i] == fold).toArray();
                split[f] = new Fold(rows(data.x(), train), labels(data.y(), train), rows(data.x(), test),
                        labels(data.y(), test));
            }
            return split;
        }

        private static double[][] rows(double[][] x, int[] indexes) {
            return Arrays.stream(indexes).mapToObj(i -> x[i]).toArray(double[][]::new);
        }

        private static int[] labels(int[] y, int[] indexes) {
            return Arrays.stream(indexes).map(i -> y[i]).toArray();
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

        /** The members' scores once every fold has been scored, by candidate index. */
        Map<Integer, CandidateScore> results(double[][] scores, double[][] fitSeconds) {
            Map<Integer, CandidateScore> results = new LinkedHashMap<>();
            for (int m = 0; m < members.size(); m++) {
                int candidate = members.get(m);
                results.put(candidate, new CandidateScore(params.get(m), scores[candidate].clone(),
                        Arrays.stream(fitSeconds[candidate]).average().orElse(0)));
            }
            return results;
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
                    RandomForestClassifier forest = RandomForestClassifier.fit(fold.trainX(), fold.trainY(),
                            blockParams, seed + block);
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
