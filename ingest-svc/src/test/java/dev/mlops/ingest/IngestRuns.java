package dev.mlops.ingest;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.runtime.config.S3Config;
import dev.mlops.testing.KafkaTestClient;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Starts ingest runs as tracking-svc does (a requested event on Kafka) and reads back what the stage did. */
record IngestRuns(KafkaTestClient kafka, ArtifactStore store, MinioClient s3) {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    IngestRuns(String bootstrap, ArtifactStore store, S3Config s3) {
        this(new KafkaTestClient(bootstrap), store, MinioClient.builder().endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey()).region(s3.region()).build());
    }

    String publish(String datasetUri) {
        String runId = UUID.randomUUID().toString();
        kafka.publish(StageEvent.requested(runId, PipelineSpec.defaults(datasetUri)));
        return runId;
    }

    StageEvent completed(String datasetUri) {
        return kafka.awaitCompleted(Stage.INGEST, publish(datasetUri), TIMEOUT);
    }

    Failure failed(String datasetUri) {
        String runId = publish(datasetUri);
        return new Failure(runId, kafka.awaitFailed(Stage.INGEST, runId, TIMEOUT).error());
    }

    /**
     * The keys of every object stored under the run's prefix, except the stage runner's own bookkeeping
     * ({@code events/}: started deliveries, kept outputs).
     */
    List<String> storedObjects(String runId) {
        List<String> keys = new ArrayList<>();
        for (Result<Item> item : s3.listObjects(ListObjectsArgs.builder().bucket(store.bucket())
                .prefix("runs/" + runId + "/").recursive(true).build())) {
            try {
                String key = item.get().objectName();
                if (!key.startsWith("runs/" + runId + "/events/")) {
                    keys.add(key);
                }
            } catch (Exception e) {
                throw new IllegalStateException("could not list runs/" + runId + "/", e);
            }
        }
        return keys;
    }

    record Failure(String runId, String error) {
    }
}
