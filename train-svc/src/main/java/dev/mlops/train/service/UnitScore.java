package dev.mlops.train.service;

import java.util.List;

/**
 * The result of one {@link SearchWork} unit: each member candidate's score and fit seconds on the unit's fold.
 *
 * @param fingerprint the search's ({@link StoredCheckpoint#fingerprint}); a score of another search is not used
 * @param scoredBy    the replica that scored it, for the log
 */
public record UnitScore(String fingerprint, String unit, List<Integer> candidates, double[] scores,
                        double[] fitSeconds, String scoredBy) {
}
