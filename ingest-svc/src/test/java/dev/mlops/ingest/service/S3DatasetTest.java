package dev.mlops.ingest.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactStoreException;
import dev.mlops.common.store.S3Settings;
import dev.mlops.runtime.stage.TransientFailure;
import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.S3Resource;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3DatasetTest {

    @Test
    void anS3ServerThatDoesNotAnswerIsATransientFailure() throws IOException {
        int closedPort = Ports.free();
        TestIngestConfig config = TestIngestConfig.allowing();
        try (ArtifactStore down = new ArtifactStore(new S3Settings("http://127.0.0.1:" + closedPort, "key", "secret",
                S3Settings.DEFAULT_BUCKET, "us-east-1"))) {
            S3Dataset s3 = new S3Dataset(down, new DatasetUrlPolicy(config, down.bucket(), HostResolver.SYSTEM), config);
            URI dataset = URI.create("s3://mlops-artifacts/datasets/titanic.csv");
            assertThatThrownBy(() -> s3.fetch(dataset)).isInstanceOf(TransientFailure.class)
                    .hasMessageContaining("S3 is unavailable reading dataset " + dataset);
        }
    }

    /**
     * Input: a 3 MB object in a real S3 server, read as a stage reads its input artifacts. It comes back byte for
     * byte; a store whose artifact limit is 2 MB refuses it naming the setting instead of filling its heap.
     */
    @Test
    void anArtifactIsReadWholeFromARealS3ServerAndOneOverTheLimitIsRefused() {
        S3Resource s3 = new S3Resource();
        Map<String, String> config = s3.start();
        try {
            S3Settings settings = new S3Settings(config.get("mlops.s3.endpoint"), config.get("mlops.s3.access-key"),
                    config.get("mlops.s3.secret-key"), config.get("mlops.s3.bucket"), "us-east-1");
            byte[] content = new byte[3 * 1024 * 1024];
            new Random(7).nextBytes(content);
            try (ArtifactStore store = new ArtifactStore(settings);
                 ArtifactStore small = new ArtifactStore(settings, 2 * 1024 * 1024)) {
                URI uri = store.put("run-1", "raw/data.csv", content, "text/csv");
                assertThat(store.read(uri)).isEqualTo(content);
                assertThatThrownBy(() -> small.read(uri)).isInstanceOf(ArtifactStoreException.class)
                        .hasMessage("artifact " + uri + " is over the limit of 2097152 bytes per artifact"
                                + " (mlops.limits.max-artifact-bytes)");
            }
        } finally {
            s3.stop();
        }
    }
}
