package dev.mlops.model.data;

import dev.mlops.model.TitanicData;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected indexes come from numpy 1.24 / scikit-learn 1.2.1 (train_test_split with random_state). */
class TrainTestSplitTest {

    @Test
    void permutationIsNumpys() {
        assertThat(new NumpyRandomState(42).permutation(10)).containsExactly(8, 1, 5, 0, 7, 2, 9, 4, 3, 6);
    }

    @Test
    void shuffleSplitSelectsScikitLearnsRows() {
        TrainTestSplit split = TrainTestSplit.shuffle(887, 0.2, 42);

        assertThat(split.train()).hasSize(709).startsWith(730, 390, 118, 440, 309, 29, 55, 409, 518, 235);
        assertThat(split.test()).hasSize(178).startsWith(296, 682, 535, 644, 623, 39, 529, 585, 723, 141);
        assertThat(IntStream.concat(Arrays.stream(split.train()), Arrays.stream(split.test())).sorted().toArray())
                .as("every row once").isEqualTo(IntStream.range(0, 887).toArray());
    }

    @Test
    void stratifiedSplitSelectsScikitLearnsRows() {
        List<String> survived = TitanicData.raw().column("Survived");

        TrainTestSplit split = TrainTestSplit.stratified(survived, 0.2, 42);

        assertThat(split.train()).hasSize(709).startsWith(851, 650, 103, 101, 292, 233, 763, 873, 249, 513);
        assertThat(split.test()).hasSize(178).startsWith(433, 399, 244, 492, 607, 88, 411, 302, 824, 164)
                .endsWith(542, 778, 83, 161, 687);
        long survivorsInTest = Arrays.stream(split.test()).filter(i -> survived.get(i).equals("1")).count();
        assertThat(survivorsInTest).as("342 of 887 survived: 38.6% of 178").isEqualTo(69);
    }

    @Test
    void stratifiedSplitBreaksRemainderTiesLikeScikitLearn() {
        List<String> y = List.of("a", "b", "b", "c", "c", "c", "a", "b", "c", "a", "c");

        TrainTestSplit split = TrainTestSplit.stratified(y, 0.3, 7);

        assertThat(split.train()).containsExactly(5, 4, 2, 1, 6, 9, 3);
        assertThat(split.test()).containsExactly(7, 8, 10, 0);
    }

    @Test
    void impossibleSplitsAreExplained() {
        assertThatThrownBy(() -> TrainTestSplit.stratified(List.of("a", "a", "b", "a"), 0.5, 1))
                .hasMessage("cannot stratify: class 'b' has only 1 row; every class needs at least 2");
        assertThatThrownBy(() -> TrainTestSplit.shuffle(1, 0.2, 1)).hasMessageContaining("training split would be empty");
        assertThatThrownBy(() -> TrainTestSplit.shuffle(10, 0.2, -1)).hasMessageContaining("seed must be between 0 and");
    }
}
