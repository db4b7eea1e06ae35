package dev.mlops.runtime.stage;

import dev.mlops.common.store.ArtifactStore;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The stand-in stage keeps its outputs in memory instead of on S3. */
public class InMemoryStoreProducer {

    @Produces
    @Singleton
    @Alternative
    @Priority(1)
    ArtifactStore store() {
        return new InMemoryArtifactStore();
    }
}
