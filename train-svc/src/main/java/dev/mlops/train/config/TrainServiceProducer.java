package dev.mlops.train.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.train.client.TrackingMetricLog;
import dev.mlops.train.client.TrackingModelRegistry;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.TrainService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** Wires the train stage's plain classes from configuration. */
public class TrainServiceProducer {

    @Produces
    @ApplicationScoped
    TrainService trainService(ArtifactStore store, TrainConfig train, TrackingClient client) {
        return new TrainService(store, new GridSearch(train.parallelism()), new TrackingModelRegistry(client),
                new TrackingMetricLog(client), train.progressInterval(), train.checkpointInterval());
    }
}
