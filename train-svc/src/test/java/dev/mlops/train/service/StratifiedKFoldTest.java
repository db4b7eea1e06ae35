package dev.mlops.train.service;

import dev.mlops.train.TitanicData;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Expected folds come from scikit-learn 1.2.1's StratifiedKFold(n_splits) on the same labels. */
class StratifiedKFoldTest {

    @Test
    void dealsEachClassToTheFoldsInBlocksAsScikitLearn() {
        // labels "1","0","0","1",... encoded against the sorted classes ["0", "1"]
        int[] y = {1, 0, 0, 1, 0, 0, 0, 1, 0, 1};

        assertThat(StratifiedKFold.testFolds(y, 3, List.of("0", "1"))).containsExactly(0, 0, 0, 0, 1, 1, 2, 1, 2, 2);
    }

    @Test
    void threeClassesFourFolds() {
        String labels = "bacabcbbaccabcbab";
        List<String> classes = List.of("a", "b", "c");
        int[] y = labels.chars().map(c -> c - 'a').toArray();

        assertThat(StratifiedKFold.testFolds(y, 4, classes))
                .containsExactly(0, 0, 0, 1, 0, 0, 1, 1, 2, 1, 2, 3, 2, 3, 2, 3, 3);
    }

    @Test
    void titanicTrainingSplitGetsScikitLearnsFolds() throws Exception {
        int[] y = TitanicData.publishedSplit().train().y();

        int[] folds = StratifiedKFold.testFolds(y, 3, List.of("0", "1"));

        assertThat(Arrays.stream(folds).filter(f -> f == 0).count()).isEqualTo(237);
        String joined = Arrays.stream(folds).mapToObj(Integer::toString).collect(Collectors.joining(","));
        assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(joined.getBytes())))
                .isEqualTo("cfab5ed29b248f1e902be8cb579cd3698017de4c771df6cea6b1a392a2892293");
    }

    @Test
    void moreFoldsThanAClassHasRowsIsRefusedNamingTheClass() {
        int[] y = {0, 0, 0, 0, 0, 1, 1, 1, 0, 0};

        assertThatThrownBy(() -> StratifiedKFold.testFolds(y, 5, List.of("0", "1")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cv=5 but class '1' has only 3 rows: every class needs at least one row per fold");
    }
}
