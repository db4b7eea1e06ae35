package dev.mlops.runtime.stage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** {@code mlops.stage.retry.*}: how often and how patiently a stage tries again after a transient failure. */
@ConfigMapping(prefix = "mlops.stage.retry")
public interface StageRetryConfig {

    /**
     * Tries in all, the first included; then the stage fails with the last cause. With the backoffs below, 8 tries
     * wait 71 s in all: a restarting database or store is back by then.
     */
    @WithDefault("8")
    int maxTries();

    @WithDefault("1s")
    Duration initialBackoff();

    @WithDefault("20s")
    Duration maxBackoff();

    /** The wait after {@code backoff}: twice as long, at most {@link #maxBackoff()}. */
    default Duration nextBackoff(Duration backoff) {
        Duration doubled = backoff.multipliedBy(2);
        return doubled.compareTo(maxBackoff()) > 0 ? maxBackoff() : doubled;
    }
}
