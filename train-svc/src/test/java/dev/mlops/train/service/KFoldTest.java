package dev.mlops.train.service;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KFoldTest {

    @Test
    void consecutiveBlocksTheFirstOnesOneRowLargerAsScikitLearnsKFold() {
        // [test for _, test in KFold(3).split(range(10))] -> [0..3], [4..6], [7..9]
        assertThat(KFold.testFolds(10, 3)).containsExactly(0, 0, 0, 0, 1, 1, 1, 2, 2, 2);
        assertThat(KFold.testFolds(4, 2)).containsExactly(0, 0, 1, 1);
    }

    @Test
    void fewerRowsThanFoldsAreRefusedSayingBoth() {
        assertThatThrownBy(() -> KFold.testFolds(2, 3)).hasMessageContaining("cv=3")
                .hasMessageContaining("only 2 rows");
    }
}
