package dev.mlops.train.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.forest.ForestParams;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

class GridSearchResultTest {

    private static CandidateScore score(int trees, double... folds) {
        return new CandidateScore(new ForestParams(trees, null, 2, 1), folds, 0.5);
    }

    @Test
    void bestIsTheHighestMeanAndATieGoesToTheFirstInGridOrder() {
        GridSearchResult result = new GridSearchResult(List.of(
                score(10, 0.70, 0.80, 0.75),
                score(20, 0.80, 0.80, 0.83),
                score(30, 0.83, 0.80, 0.80),
                score(40, 0.60, 0.90, 0.90)), 3, 1.0);

        assertThat(result.bestIndex()).isEqualTo(1);
        assertThat(((ForestParams) result.best().params()).nEstimators()).isEqualTo(20);
    }

    @Test
    void meanAndPopulationStdAsScikitLearnReportsThem() {
        CandidateScore candidate = score(10, 0.7, 0.8, 0.9);

        assertThat(candidate.meanScore()).isCloseTo(0.8, offset(1e-12));
        assertThat(candidate.stdScore()).isCloseTo(Math.sqrt(0.02 / 3), offset(1e-12));
    }

    @Test
    void cvResultsTableHasARowPerCandidateWithTiedRanks() {
        GridSearchResult result = new GridSearchResult(List.of(
                score(10, 0.5, 0.5), score(20, 0.9, 0.7), score(30, 0.7, 0.9)), 2, 1.0);

        CsvTable table = CvResultsCsv.of(result);

        assertThat(table.header()).containsExactly("candidate", "n_estimators", "max_depth", "min_samples_split",
                "min_samples_leaf", "mean_test_score", "std_test_score", "split0_test_score", "split1_test_score",
                "mean_fit_seconds", "rank_test_score");
        assertThat(table.column("n_estimators")).containsExactly("10", "20", "30");
        assertThat(table.column("max_depth")).containsExactly("None", "None", "None");
        assertThat(table.column("rank_test_score")).containsExactly("3", "1", "1");
        assertThat(table.column("split1_test_score")).containsExactly("0.5", "0.7", "0.9");
    }
}
