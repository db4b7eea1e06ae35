package dev.mlops.ingest;

import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * Ingest allowed to download from this machine's 127.0.0.1 only (standing in for a public dataset server), with a
 * 1 MB size limit.
 */
public class LocalDatasetServerProfile implements QuarkusTestProfile {

    static final long MAX_DATASET_BYTES = 1_000_000;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "mlops.ingest.allowed-private-networks", "127.0.0.1/32",
                "mlops.ingest.max-dataset-bytes", String.valueOf(MAX_DATASET_BYTES));
    }
}
