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
}
