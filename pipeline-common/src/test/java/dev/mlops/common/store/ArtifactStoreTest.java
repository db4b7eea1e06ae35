package dev.mlops.common.store;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactStoreTest {

    @Test
    void contentOverTheArtifactLimitIsRefusedBeforeAnythingIsSent() {
        // 1025 bytes with a 1024-byte limit; the endpoint does not exist, so only the local check can answer
        try (ArtifactStore store = new ArtifactStore(new S3Settings("http://127.0.0.1:9", "key", "secret",
                "mlops-artifacts", "us-east-1"), 1024)) {
            assertThatThrownBy(() -> store.put("run-1", "model/model.bin", new byte[1025], "application/octet-stream"))
                    .isInstanceOf(ArtifactStoreException.class)
                    .hasMessage("artifact s3://mlops-artifacts/runs/run-1/model/model.bin is 1025 bytes, over the limit"
                            + " of 1024 bytes per artifact (mlops.limits.max-artifact-bytes)")
                    .hasNoCause();
        }
    }
}
