package dev.mlops.ingest.config;

import io.smallrye.config.ConfigMapping;

import java.time.Duration;

@ConfigMapping(prefix = "mlops.ingest")
public interface IngestConfig {

    /** Largest dataset accepted, in bytes. */
    long maxDatasetBytes();

    Duration httpTimeout();
}
