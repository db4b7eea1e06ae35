package dev.mlops.train.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.train.TitanicData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

import static dev.mlops.train.CvResultsScores.withoutFitTimes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grid search on real Smile forests. */
class GridSearchTest {

    static TitanicData titanic;

    @BeforeAll
    static void load() {
        titanic = TitanicData.publishedSplit();
    }

    @Test
    void smallestForestOfAGroupScoresExactlyAsFittingThatCandidateOnEachFold() {
        ForestParams candidate = new ForestParams(20, 5, 2, 1);
        List<ForestParams> grid = List.of(candidate, new ForestParams(40, 5, 2, 1));

        GridSearchResult result = new GridSearch(2).run(titanic.train(), grid, 3, 42, (done, total) -> { });

        double[] expected = crossValidate(titanic.train(), candidate, 3, 42);
        assertThat(result.candidates().get(0).foldScores()).containsExactly(expected);
        assertThat(result.candidates().get(0).meanFitSeconds()).isPositive();
        assertThat(result.candidates().get(1).meanFitSeconds())
                .as("the 40-tree forest grows 20 more trees than the 20-tree one")
                .isGreaterThan(result.candidates().get(0).meanFitSeconds());
    }

    @Test
    void everyCandidateFittedAfreshScoresExactlyAsSmilesForestOfThatCandidateOnEachFold() {
        // shareTrees false: the 20-tree forest is a fresh fit, not the 10-tree one plus 10 trees of another seed
        List<ForestParams> grid = List.of(new ForestParams(10, null, 2, 1), new ForestParams(20, null, 2, 1),
                new ForestParams(15, 4, 10, 2));

        GridSearchResult result = new GridSearch(2).runEach(titanic.train(), grid, 3, 42, (done, total) -> { },
                ScoreCheckpoint.NONE);

        for (int i = 0; i < grid.size(); i++) {
            assertThat(result.candidates().get(i).foldScores()).as("candidate %s", grid.get(i))
                    .containsExactly(crossValidate(titanic.train(), grid.get(i), 3, 42));
        }
        GridSearchResult shared = new GridSearch(2).run(titanic.train(), grid, 3, 42, (done, total) -> { });
        assertThat(shared.candidates().get(1).foldScores()).as("shared trees: a different 20-tree forest")
                .isNotEqualTo(result.candidates().get(1).foldScores());
    }

    @Test
    void sameSeedSameScoresWhateverTheThreadCount() {
        List<ForestParams> grid = List.of(new ForestParams(10, null, 2, 1), new ForestParams(30, null, 2, 1),
                new ForestParams(10, 4, 5, 2), new ForestParams(30, 4, 5, 2));

        GridSearchResult oneThread = new GridSearch(1).run(titanic.train(), grid, 3, 7, (done, total) -> { });
        GridSearchResult twoThreads = new GridSearch(2).run(titanic.train(), grid, 3, 7, (done, total) -> { });

        for (int i = 0; i < grid.size(); i++) {
            assertThat(twoThreads.candidates().get(i).foldScores())
                    .as("candidate %s", grid.get(i)).containsExactly(oneThread.candidates().get(i).foldScores());
            assertThat(twoThreads.candidates().get(i).params()).isEqualTo(grid.get(i));
        }
        GridSearchResult otherSeed = new GridSearch(2).run(titanic.train(), grid, 3, 8, (done, total) -> { });
        assertThat(otherSeed.candidates().stream().map(CandidateScore::meanScore).toList())
                .isNotEqualTo(oneThread.candidates().stream().map(CandidateScore::meanScore).toList());
    }

    @Test
    void reportsProgressUpToEveryCandidate() {
        List<ForestParams> grid = List.of(new ForestParams(5, 3, 2, 1), new ForestParams(10, 3, 2, 1),
                new ForestParams(5, 6, 2, 1), new ForestParams(10, 6, 2, 1), new ForestParams(5, 9, 2, 1));
        List<int[]> reports = Collections.synchronizedList(new ArrayList<>());

        new GridSearch(2).run(titanic.train(), grid, 3, 42, (done, total) -> reports.add(new int[]{done, total}));

        // one report per group of candidates that differ only in n_estimators: 2 + 2 + 1, in any order
        assertThat(reports).hasSize(3).allSatisfy(r -> assertThat(r[1]).isEqualTo(5));
        assertThat(reports.stream().mapToInt(r -> r[0]).sorted().toArray()).doesNotHaveDuplicates().endsWith(5);
    }

    @Test
    void learnsThreeClasses() {
        TrainingSet blobs = threeBlobs(90, new Random(3));

        GridSearchResult result = new GridSearch(2).run(blobs,
                List.of(new ForestParams(10, null, 2, 1), new ForestParams(10, 1, 2, 1)), 3, 42, (done, total) -> { });

        assertThat(result.candidates().get(0).meanScore()).as("separable blobs").isGreaterThan(0.95);
        assertThat(result.candidates().get(1).meanScore())
                .as("one split cannot separate three classes").isLessThan(0.75);
        assertThat(result.bestIndex()).isEqualTo(0);
    }

    @Test
    void tooManyFoldsForASmallClassIsRefusedBeforeAnyTreeGrows() {
        TrainingSet tiny = new TrainingSet(new double[][]{{0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}},
                new int[]{0, 0, 0, 0, 0, 1, 1, 1}, List.of("died", "survived"), List.of("x"));

        assertThatThrownBy(() -> new GridSearch(2).run(tiny, List.of(new ForestParams(5, null, 2, 1)), 5, 42,
                (done, total) -> { }))
                .hasMessage("cv=5 but class 'survived' has only 3 rows: every class needs at least one row per fold");
    }

    @Test
    void aSearchInterruptedAfterSomeGroupsResumesFromTheirScoresAndEndsAsAnUninterruptedOne() {
        // input: a search killed (its progress listener throws) after its first groups, then resumed from what it kept
        List<ForestParams> grid = ParamGrid.candidates(new PipelineSpec.Grid(List.of(5, 10, 15), Arrays.asList(null, 4),
                List.of(2), List.of(1, 3)));
        GridSearchResult uninterrupted = new GridSearch(2).run(titanic.train(), grid, 3, 42, (done, total) -> { });

        KeptScores interrupted = new KeptScores(Map.of());
        assertThatThrownBy(() -> new GridSearch(1).run(titanic.train(), grid, 3, 42, (done, total) -> {
            throw new IllegalStateException("killed after " + done);
        }, interrupted)).hasMessageContaining("killed after ");
        Map<Integer, CandidateScore> kept = Map.copyOf(interrupted.kept);
        int k = kept.size();
        assertThat(k).as("candidates kept before the kill").isBetween(3, grid.size() - 3);

        KeptScores resumedCheckpoint = new KeptScores(kept);
        List<Integer> progress = Collections.synchronizedList(new ArrayList<>());
        GridSearchResult resumed = new GridSearch(2).run(titanic.train(), grid, 3, 42,
                (done, total) -> progress.add(done), resumedCheckpoint);

        assertThat(resumedCheckpoint.kept.keySet()).as("only the candidates not kept before are scored")
                .hasSize(grid.size() - k).doesNotContainAnyElementsOf(kept.keySet());
        assertThat(progress.get(0)).as("progress starts from the resumed count").isEqualTo(k);
        assertThat(progress).endsWith(grid.size());
        assertThat(resumed.candidates()).hasSize(grid.size());
        for (int i = 0; i < grid.size(); i++) {
            assertThat(resumed.candidates().get(i).params()).isEqualTo(grid.get(i));
            assertThat(resumed.candidates().get(i).foldScores()).as("candidate %d", i)
                    .containsExactly(uninterrupted.candidates().get(i).foldScores());
        }
        assertThat(resumed.bestIndex()).isEqualTo(uninterrupted.bestIndex());
        assertThat(withoutFitTimes(CvResultsCsv.of(resumed)))
                .isEqualTo(withoutFitTimes(CvResultsCsv.of(uninterrupted)));
    }

    @Test
    void aGroupKeptOnlyInPartIsScoredAgainWhole() {
        // input: a checkpoint holding one of two candidates that share trees; the group is grown again, both scored
        List<ForestParams> grid = List.of(new ForestParams(5, 3, 2, 1), new ForestParams(10, 3, 2, 1));
        GridSearchResult uninterrupted = new GridSearch(1).run(titanic.train(), grid, 3, 42, (done, total) -> { });
        KeptScores checkpoint = new KeptScores(Map.of(0, uninterrupted.candidates().get(0)));

        GridSearchResult resumed = new GridSearch(1).run(titanic.train(), grid, 3, 42, (done, total) -> { },
                checkpoint);

        assertThat(checkpoint.kept).containsOnlyKeys(0, 1);
        assertThat(resumed.candidates().get(1).foldScores())
                .containsExactly(uninterrupted.candidates().get(1).foldScores());
    }

    /** A checkpoint in memory: restores what it is given and keeps what the search reports. */
    private static final class KeptScores implements ScoreCheckpoint {
        final Map<Integer, CandidateScore> restored;
        final Map<Integer, CandidateScore> kept = new ConcurrentHashMap<>();

        KeptScores(Map<Integer, CandidateScore> restored) {
            this.restored = restored;
        }

        @Override
        public Map<Integer, CandidateScore> restored() {
            return restored;
        }

        @Override
        public void scored(Map<Integer, CandidateScore> candidates) {
            kept.putAll(candidates);
        }

        @Override
        public void flush() {
        }
    }

    /** Cross-validation done by hand with model-core's forest: what the grid search must reproduce. */
    private static double[] crossValidate(TrainingSet data, ForestParams params, int folds, long seed) {
        int[] testFold = StratifiedKFold.testFolds(data.y(), folds, data.classLabels());
        double[] scores = new double[folds];
        for (int f = 0; f < folds; f++) {
            int fold = f;
            int[] train = IntStream.range(0, data.rows()).filter(i -> testFold[i] != fold).toArray();
            int[] test = IntStream.range(0, data.rows()).filter(i -> testFold[i] == fold).toArray();
            RandomForestClassifier forest = RandomForestClassifier.fit(
                    Arrays.stream(train).mapToObj(i -> data.x()[i]).toArray(double[][]::new),
                    Arrays.stream(train).map(i -> data.y()[i]).toArray(), params, seed);
            int[] predicted = forest.predict(Arrays.stream(test).mapToObj(i -> data.x()[i]).toArray(double[][]::new));
            int correct = 0;
            for (int i = 0; i < test.length; i++) {
                if (predicted[i] == data.y()[test[i]]) {
                    correct++;
                }
            }
            scores[f] = (double) correct / test.length;
        }
        return scores;
    }

    private static TrainingSet threeBlobs(int rows, Random random) {
        double[][] x = new double[rows][];
        int[] y = new int[rows];
        for (int i = 0; i < rows; i++) {
            y[i] = i % 3;
            x[i] = new double[]{y[i] * 5 + random.nextGaussian(), random.nextGaussian()};
        }
        return new TrainingSet(x, y, List.of("a", "b", "c"), List.of("x0", "x1"));
    }
}
