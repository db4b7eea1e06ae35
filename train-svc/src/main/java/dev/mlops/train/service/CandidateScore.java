package dev.mlops.train.service;

import dev.mlops.model.estimator.HyperParams;

/**
 * One grid candidate's cross-validation result.
 *
 * @param foldScores     score on each test fold: accuracy for a classifier, R² for a regressor
 * @param meanFitSeconds mean over folds of the time spent growing this candidate's trees
 */
public record CandidateScore(HyperParams params, double[] foldScores, double meanFitSeconds) {

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
