package dev.mlops.runtime.config;

import dev.mlops.common.spec.WorkLimits;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

public class WorkLimitsProducer {

    @Produces
    @Singleton // no client proxy: WorkLimits is a record (final)
    WorkLimits workLimits(LimitsConfig config) {
        WorkLimits d = WorkLimits.DEFAULTS;
        return new WorkLimits(
                config.maxCandidateFits().orElse(d.maxCandidateFits()),
                config.maxTreesPerForest().orElse(d.maxTreesPerForest()),
                config.maxTreeDepth().orElse(d.maxTreeDepth()),
                config.maxTotalTrees().orElse(d.maxTotalTrees()),
                config.maxDatasetCells().orElse(d.maxDatasetCells()),
                config.maxArtifactBytes().orElse(d.maxArtifactBytes()));
    }
}
