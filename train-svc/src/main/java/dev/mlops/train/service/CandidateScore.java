package dev.mlops.train.service;

import dev.mlops.model.forest.ForestParams;

/**
 * One grid candidate's cross-validation result.
 *
 * @param foldScores     accuracy on each test fold
 * @param meanFitSeconds mean over folds of the time spent growing this candidate's trees
 */
public record CandidateScore(ForestParams params, double[] foldScores, double meanFitSeconds) {

    public double meanScore() {
        double sum = 0;
        for (double score : foldScores) {
            sum += score;
        }
        return sum / foldScores.length;
    }

    /** Population standard deviation over folds, as scikit-learn's {@code std_test_score}. */
    public double stdScore() {
        double mean = meanScore();
        double sum = 0;
        for (double score : foldScores) {
            sum += (score - mean) * (score - mean);
        }
        return Math.sqrt(sum / foldScores.length);
    }
}
