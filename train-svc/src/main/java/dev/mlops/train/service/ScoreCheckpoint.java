package dev.mlops.train.service;

import java.util.Map;

/**
 * Where a grid search keeps the candidates it has scored, so that a search interrupted by a killed process resumes
 * from them instead of starting again. Candidates are named by their index in the grid.
 */
public interface ScoreCheckpoint {

    /** A search that keeps nothing and resumes from nothing. */
    ScoreCheckpoint NONE = new ScoreCheckpoint() {
        @Override
        public Map<Integer, CandidateScore> restored() {
            return Map.of();
        }

        @Override
        public void scored(Map<Integer, CandidateScore> candidates) {
        }

        @Override
        public void flush() {
        }
    };

    /** The candidates an earlier, interrupted search of the same grid on the same data had scored. */
    Map<Integer, CandidateScore> restored();

    /** Hears, from worker threads, the candidates of each group of the grid as the group is scored. */
    void scored(Map<Integer, CandidateScore> candidates);

    /** Keeps whatever was scored and not kept yet; called once the search ends or fails. */
    void flush();
}
