package dev.mlops.train.service;

import dev.mlops.common.data.CsvTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code model/cv_results.csv}: one row per candidate in grid order, columns named as in scikit-learn's
 * {@code cv_results_} ({@code mean_test_score}, {@code split0_test_score}, {@code rank_test_score}...).
 */
public final class CvResultsCsv {

    private CvResultsCsv() {
    }

    public static CsvTable of(GridSearchResult result) {
        List<CandidateScore> candidates = result.candidates();
        List<String> header = new ArrayList<>(List.of("candidate"));
        header.addAll(candidates.get(0).params().asSklearnParams().keySet());
        header.addAll(List.of("mean_test_score", "std_test_score"));
        for (int f = 0; f < result.folds(); f++) {
            header.add("split" + f + "_test_score");
        }
        header.add("mean_fit_seconds");
        header.add("rank_test_score");

        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            CandidateScore candidate = candidates.get(i);
            List<String> row = new ArrayList<>(List.of(Integer.toString(i)));
            row.addAll(candidate.params().asSklearnParams().values());
            row.addAll(List.of(Double.toString(candidate.meanScore()), Double.toString(candidate.stdScore())));
            for (double score : candidate.foldScores()) {
                row.add(Double.toString(score));
            }
            row.add(String.format(Locale.ROOT, "%.4f", candidate.meanFitSeconds()));
            row.add(Integer.toString(rank(candidates, candidate.meanScore())));
            rows.add(row);
        }
        return new CsvTable(header, rows);
    }

    /** 1 + the number of candidates with a strictly better mean score (ties share the best rank, as scikit-learn's). */
    private static int rank(List<CandidateScore> candidates, double meanScore) {
        int better = 0;
        for (CandidateScore other : candidates) {
            if (other.meanScore() > meanScore + GridSearchResult.TIE) {
                better++;
            }
        }
        return better + 1;
    }
}
