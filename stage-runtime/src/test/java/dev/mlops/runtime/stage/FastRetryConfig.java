package dev.mlops.runtime.stage;

import java.time.Duration;

/** Retry settings for tests: {@code maxTries} tries, backoff 1 ms doubling to 4 ms. */
record FastRetryConfig(int maxTries) implements StageRetryConfig {

    @Override
    public Duration initialBackoff() {
        return Duration.ofMillis(1);
    }

    @Override
    public Duration maxBackoff() {
        return Duration.ofMillis(4);
    }
}
