package dev.mlops.train.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.train.client.TrackingMetricLog;
import dev.mlops.train.client.TrackingModelRegistry;
import dev.mlops.train.messaging.KafkaWorkQueue;
import dev.mlops.train.messaging.TrainWorkConsumer;
import dev.mlops.train.service.FannedOutSearch;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.TrainService;
import dev.mlops.train.service.UnitScores;
import dev.mlops.train.service.UnitWorker;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Wires the train stage's plain classes from configuration. */
@ApplicationScoped
public class TrainServiceProducer {

    private final TrainConfig train;
    private final ArtifactStore store;
    private final String bootstrap;
    private KafkaWorkQueue queue;
    private TrainWorkConsumer workConsumer;

    public TrainServiceProducer(TrainConfig train, ArtifactStore store,
                                @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrap) {
        this.train = train;
        this.store = store;
        this.bootstrap = bootstrap;
    }

    @Produces
    @ApplicationScoped
    TrainService trainService(TrackingClient client) {
        GridSearch gridSearch = new GridSearch(train.parallelism());
        FannedOutSearch fannedOut = null;
        if (train.distributed()) {
            queue = new KafkaWorkQueue(bootstrap);
            fannedOut = new FannedOutSearch(new UnitScores(store), queue, queue::replicas, train.fanOutMinReplicas(),
                    train.workPollInterval(), train.workStallTimeout());
        }
        return new TrainService(store, gridSearch, new TrackingModelRegistry(client), new TrackingMetricLog(client),
                train.progressInterval(), train.checkpointInterval(), fannedOut);
    }

    /** Joins the work topic's consumer group at start, so this replica scores units of every fanned-out search. */
    void start(@Observes StartupEvent start, MeterRegistry registry) {
        if (!train.distributed()) {
            return;
        }
        Counter scored = Counter.builder("mlops_train_work_units_scored")
                .description("grid-search units this replica scored for fanned-out searches").register(registry);
        UnitWorker worker = new UnitWorker(store, replicaName(), (runId, unit) -> scored.increment());
        workConsumer = new TrainWorkConsumer(bootstrap, worker, new GridSearch(train.parallelism()).parallelism());
        workConsumer.start();
    }

    void stop(@Observes ShutdownEvent stop) {
        if (workConsumer != null) {
            workConsumer.close();
        }
        if (queue != null) {
            queue.close();
        }
    }

    private static String replicaName() {
        try {
            return InetAddress.getLocalHost().getHostName() + "/" + ProcessHandle.current().pid();
        } catch (UnknownHostException e) {
            return "pid " + ProcessHandle.current().pid();
        }
    }
}
