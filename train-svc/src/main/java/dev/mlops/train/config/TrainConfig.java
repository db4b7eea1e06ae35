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

    /** Shortest time between two writes of the grid search's checkpoint of scored candidates. */
    @WithDefault("1s")
    Duration checkpointInterval();
}
