package dev.mlops.train;

import dev.mlops.common.data.CsvTable;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** cv_results as compared between two searches: every column but mean_fit_seconds, the one that is a measured time. */
public final class CvResultsScores {

    private CvResultsScores() {
    }

    public static List<List<String>> withoutFitTimes(CsvTable cvResults) {
        int fitTime = cvResults.columnIndex("mean_fit_seconds");
        return Stream.concat(Stream.of(cvResults.header()), cvResults.rows().stream()).map(row -> {
            List<String> kept = new ArrayList<>(row);
            kept.remove(fitTime);
            return kept;
        }).toList();
    }
}
