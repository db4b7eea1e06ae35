package dev.mlops.ingest.service;

import dev.mlops.ingest.config.IngestConfig;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** mlops.ingest.* for tests that build the download classes by hand. */
record TestIngestConfig(long maxDatasetBytes, boolean allowPrivateAddresses, List<String> networks,
                        List<String> roots, Duration httpTimeout) implements IngestConfig {

    TestIngestConfig(long maxDatasetBytes, boolean allowPrivateAddresses, List<String> networks, List<String> roots) {
        this(maxDatasetBytes, allowPrivateAddresses, networks, roots, Duration.ofSeconds(5));
    }

    static TestIngestConfig allowing(String... networks) {
        return new TestIngestConfig(100_000, false, List.of(networks), List.of());
    }

    TestIngestConfig withHttpTimeout(Duration timeout) {
        return new TestIngestConfig(maxDatasetBytes, allowPrivateAddresses, networks, roots, timeout);
    }

    @Override
    public Optional<List<String>> allowedPrivateNetworks() {
        return Optional.of(networks);
    }

    @Override
    public Optional<List<String>> fileRoots() {
        return Optional.of(roots);
    }

    @Override
    public Optional<List<String>> s3Buckets() {
        return Optional.of(List.of("mlops-artifacts"));
    }
}
