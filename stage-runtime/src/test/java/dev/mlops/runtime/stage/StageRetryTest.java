package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.tracking.TrackingException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which failures a stage tries again, how often, and what the user reads when it gives up (a retry that succeeds:
 * {@link StageChannelTest}).
 */
class StageRetryTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final StageRetry retry = retry(4);
    private final AtomicInteger calls = new AtomicInteger();

    @Test
    void afterTheLastTryTheStageFailsWithTheCause() {
        assertThatThrownBy(() -> retry.call(Stage.TRAIN, "run-2", () -> {
            calls.incrementAndGet();
            throw new UncheckedIOException(new ConnectException("Connection refused: 127.0.0.1:9000"));
        })).isInstanceOf(TransientFailure.class)
                .hasMessage("gave up after 4 tries: UncheckedIOException: java.net.ConnectException: Connection refused: 127.0.0.1:9000");
        assertThat(calls).hasValue(4);
    }

    @Test
    void aPermanentFailureFailsAtOnce() {
        assertThatThrownBy(() -> retry.call(Stage.PREPROCESS, "run-3", () -> {
            calls.incrementAndGet();
            throw new StageFailure("target column 'Survived' has a single class");
        })).isInstanceOf(StageFailure.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void classifiesTheCausesOfFailures() {
        assertThat(StageRetry.isTransient(new IllegalStateException("store failed", new IOException("reset")))).isTrue();
        assertThat(StageRetry.isTransient(new TrackingException(0, "tracking-svc did not answer"))).isTrue();
        assertThat(StageRetry.isTransient(new TrackingException(503, "POST /log-batch answered 503"))).isTrue();
        assertThat(StageRetry.isTransient(new TrackingException(400, "POST /log-batch answered 400"))).isFalse();
        assertThat(StageRetry.isTransient(new IllegalArgumentException("n_estimators must be positive"))).isFalse();
        assertThat(StageRetry.isTransient(new StageFailure("bad data", new IOException("wrapped")))).isFalse();
    }

    private StageRetry retry(int maxTries) {
        return new StageRetry(new FastRetryConfig(maxTries), new StageMetrics(registry));
    }
}
