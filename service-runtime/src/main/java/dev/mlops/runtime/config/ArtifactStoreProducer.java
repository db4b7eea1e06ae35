package dev.mlops.runtime.config;

import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.store.ArtifactStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

public class ArtifactStoreProducer {

    @Produces
    @ApplicationScoped
    ArtifactStore artifactStore(S3Config config, WorkLimits limits) {
        return new ArtifactStore(config.settings(), limits.maxArtifactBytes());
    }

    void close(@Disposes ArtifactStore store) {
        store.close();
    }
}
