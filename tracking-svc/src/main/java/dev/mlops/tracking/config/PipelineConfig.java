package dev.mlops.tracking.config;

import io.smallrye.config.ConfigMapping;

/** {@code mlops.pipeline.*}: what a pipeline spec leaves out. */
@ConfigMapping(prefix = "mlops.pipeline")
public interface PipelineConfig {

    /** The dataset of the default Titanic pipeline (./mlops points it at the shipped titanic.csv). */
    String defaultDatasetUri();
}
