package dev.mlops.runtime.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * {@code mlops.limits.*} (env: MLOPS_LIMITS_MAX_CANDIDATE_FITS ...): how much work one run may ask for, the same
 * in tracking-svc (checked when a run is requested) and in the stages (checked again before the work). Unset
 * limits take {@link dev.mlops.common.spec.WorkLimits#DEFAULTS}.
 */
@ConfigMapping(prefix = "mlops.limits")
public interface LimitsConfig {

    Optional<Long> maxCandidateFits();

    Optional<Long> maxTreesPerForest();

    Optional<Long> maxTreeDepth();

    Optional<Long> maxTotalTrees();

    Optional<Long> maxDatasetCells();

    Optional<Long> maxArtifactBytes();
}
