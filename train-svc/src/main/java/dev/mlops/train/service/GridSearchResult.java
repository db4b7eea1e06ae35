package dev.mlops.train.service;

import java.util.List;

/** Every candidate's CV score in grid order, and the best: the highest mean score, ties to the first. */
public record GridSearchResult(List<CandidateScore> candidates, int folds, double seconds) {

    /** Means closer than this are a tie: they differ by rounding only, as for equal fold scores in another order. */
    static final double TIE = 1e-12;

    public GridSearchResult {
        candidates = List.copyOf(candidates);
    }

    public int bestIndex() {
        int best = 0;
        for (int i = 1; i < candidates.size(); i++) {
            if (candidates.get(i).meanScore() > candidates.get(best).meanScore() + TIE) {
                best = i;
            }
        }
        return best;
    }

    public CandidateScore best() {
        return candidates.get(bestIndex());
    }
}
