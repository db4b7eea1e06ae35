package dev.mlops.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@code mlops.ingest.*}: where datasets may come from and how big they may be (env: MLOPS_INGEST_...). */
@ConfigMapping(prefix = "mlops.ingest")
public interface IngestConfig {

    /** Largest dataset accepted, in bytes, whatever the scheme; reading stops past it. */
    long maxDatasetBytes();

    /** Connect timeout, and the longest an HTTP server may stay silent (before its headers or between reads). */
    Duration httpTimeout();

    /** true: http(s) datasets may be on private, loopback and link-local addresses too. */
    @WithDefault("false")
    boolean allowPrivateAddresses();

    /** Non-public networks allowed all the same (CIDR blocks or single addresses), e.g. 10.1.2.0/24. */
    Optional<List<String>> allowedPrivateNetworks();

    /** Directories file: datasets may be read from; none: file: datasets are refused. */
    Optional<List<String>> fileRoots();

    /** Buckets s3: datasets may be read from; none configured: the artifact bucket only. */
    Optional<List<String>> s3Buckets();
}
