package dev.mlops.train.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code mlops.train.*} */
@ConfigMapping(prefix = "mlops.train")
public interface TrainConfig {

    /** Threads for the grid search; 0 means one per available processor. */
    @WithDefault("0")
    int parallelism();

    /** Shortest time between two progress events on mlops.stage.status. */
    @WithDefault("250ms")
    Duration progressInterval();

    /**
     * Shortest time between two writes of the grid search's checkpoint of scored candidates: at most this much
     * scoring is lost to a kill, and each write blocks one worker for a put (tens of ms on a busy machine).
     */
    @WithDefault("2s")
    Duration checkpointInterval();

    /**
     * Whether this replica takes part in fanned-out grid searches: it consumes units from mlops.train.work, and
     * shares out its own searches when at least {@link #fanOutMinReplicas()} replicas consume that topic.
     */
    @WithDefault("true")
    boolean distributed();

    /** Replicas in the work topic's consumer group from which a search is shared out; below, it runs in-process. */
    @WithDefault("2")
    int fanOutMinReplicas();

    /** How often the replica that owns a fanned-out search looks in the store for new unit scores. */
    @WithDefault("250ms")
    Duration workPollInterval();

    /** With no new unit score for this long, the owner publishes the missing units again. */
    @WithDefault("10m")
    Duration workStallTimeout();
}
