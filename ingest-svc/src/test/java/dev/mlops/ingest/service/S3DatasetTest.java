package dev.mlops.ingest.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import dev.mlops.runtime.stage.TransientFailure;
import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3DatasetTest {

    @Test
    void anS3ServerThatDoesNotAnswerIsATransientFailure() throws IOException {
        int closedPort = Ports.free();
        TestIngestConfig config = TestIngestConfig.allowing();
        try (ArtifactStore down = new ArtifactStore(new S3Settings("http://127.0.0.1:" + closedPort, "key", "secret",
                S3Settings.DEFAULT_BUCKET, "us-east-1"))) {
            S3Dataset s3 = new S3Dataset(down, new DatasetUrlPolicy(config, down), config);
            URI dataset = URI.create("s3://mlops-artifacts/datasets/titanic.csv");
            assertThatThrownBy(() -> s3.fetch(dataset)).isInstanceOf(TransientFailure.class)
                    .hasMessageContaining("S3 is unavailable reading dataset " + dataset);
        }
    }
}
