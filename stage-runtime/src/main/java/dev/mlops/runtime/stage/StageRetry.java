package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.tracking.TrackingException;
import io.minio.errors.ServerException;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Runs a stage's work, trying again with exponential backoff after a transient failure (a store, database or HTTP
 * server unavailable: {@link TransientFailure}, an {@link IOException}, S3's 5xx, tracking-svc not answering or
 * answering 5xx) up to {@link StageRetryConfig#maxTries()} tries. A permanent failure ({@link StageFailure}, bad
 * data, anything else) is thrown at once.
 */
@ApplicationScoped
public class StageRetry {

    private static final Logger LOG = Logger.getLogger(StageRetry.class);

    private final StageRetryConfig config;
    private final StageMetrics metrics;

    public StageRetry(StageRetryConfig config, StageMetrics metrics) {
        this.config = config;
        this.metrics = metrics;
    }

    public <T> T call(Stage stage, String runId, Callable<T> work) throws Exception {
        Duration backoff = config.initialBackoff();
        for (int tryNumber = 1; ; tryNumber++) {
            try {
                return work.call();
            } catch (Exception e) {
                if (!isTransient(e)) {
                    throw e;
                }
                if (tryNumber >= config.maxTries()) {
                    throw new TransientFailure("gave up after " + tryNumber + " tries: " + describe(e), e);
                }
                LOG.warnf("%s: run %s: try %d of %d failed (%s); trying again in %d ms", stage.id(), runId, tryNumber,
                        config.maxTries(), describe(e), backoff.toMillis());
                metrics.transientFailure(stage);
                Thread.sleep(backoff.toMillis());
                backoff = config.nextBackoff(backoff);
            }
        }
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StageFailure) {
                return false;
            }
            if (t instanceof TransientFailure || t instanceof IOException || t instanceof ServerException
                    || t instanceof TrackingException tracking && tracking.isTransient()) {
                return true;
            }
        }
        return false;
    }

    /** The reason a user reads in the FAILED status: the message, with what kind of failure when that helps. */
    static String describe(Throwable e) {
        if (e instanceof StageFailure || e instanceof TransientFailure || e instanceof IllegalArgumentException) {
            return e.getMessage();
        }
        if (e instanceof OutOfMemoryError) {
            return "ran out of memory: " + e.getMessage();
        }
        if (e instanceof StackOverflowError) {
            return "ran out of stack (too deep a recursion): StackOverflowError";
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
