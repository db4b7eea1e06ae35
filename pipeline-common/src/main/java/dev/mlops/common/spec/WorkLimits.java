package dev.mlops.common.spec;

/**
 * How much work one run may ask for. Checked when a run is requested (400 naming the limit) and again by the
 * stage that does the work, so an event injected past the API cannot exhaust a service either. Each limit is a
 * setting ({@code mlops.limits.*}, see service-runtime's {@code LimitsConfig}).
 *
 * @param maxCandidateFits  grid candidates × cross-validation folds
 * @param maxTreesPerForest the largest {@code n_estimators}
 * @param maxTreeDepth      the largest {@code max_depth}
 * @param maxTotalTrees     trees grown by the whole grid search: Σ n_estimators over candidates × folds
 * @param maxDatasetCells   dataset rows × columns
 * @param maxArtifactBytes  bytes of one stored artifact
 */
public record WorkLimits(
        long maxCandidateFits,
        long maxTreesPerForest,
        long maxTreeDepth,
        long maxTotalTrees,
        long maxDatasetCells,
        long maxArtifactBytes) {

    /** The published grid asks 324 fits and 64,800 trees; these leave room for far larger searches. */
    public static final WorkLimits DEFAULTS = new WorkLimits(
            10_000, 5_000, 1_000, 2_000_000, 50_000_000, 512L * 1024 * 1024);

    public WorkLimits {
        if (maxCandidateFits < 1 || maxTreesPerForest < 1 || maxTreeDepth < 1 || maxTotalTrees < 1
                || maxDatasetCells < 1 || maxArtifactBytes < 1) {
            throw new IllegalArgumentException("every work limit must be at least 1");
        }
    }

    /** {@code a × b}, or Long.MAX_VALUE when that overflows: a count compared with a limit. */
    public static long saturatedProduct(long a, long b) {
        long high = Math.multiplyHigh(a, b);
        long low = a * b;
        if ((high == 0 && low >= 0) || (high == -1 && low < 0)) {
            return low;
        }
        return Long.MAX_VALUE;
    }
}
