package dev.mlops.ingest;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.runtime.config.S3Config;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Lets every ingest test {@code @Inject IngestRuns}, wired to the broker and S3 server its test resources started. */
@Singleton
public class IngestRunsProducer {

    @Produces
    @Singleton // no client proxy: IngestRuns is a record (final)
    IngestRuns ingestRuns(@ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap, ArtifactStore store,
                          S3Config s3) {
        return new IngestRuns(bootstrap, store, s3);
    }
}
