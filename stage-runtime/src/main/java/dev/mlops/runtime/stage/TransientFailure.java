package dev.mlops.runtime.stage;

import dev.mlops.common.tracking.TrackingException;

/**
 * A failure worth trying again: a store, database or HTTP server that did not answer or answered 5xx. The stage
 * runner tries the work again with exponential backoff, a bounded number of times, then fails the stage with
 * this message. Connection errors ({@link java.io.IOException} in the cause chain) count as transient too.
 */
public class TransientFailure extends RuntimeException {

    public TransientFailure(String message) {
        super(message);
    }

    public TransientFailure(String message, Throwable cause) {
        super(message, cause);
    }

    /** What a failed call to tracking-svc means for the stage: try again when it may answer later, else fail. */
    public static RuntimeException ofTrackingCall(String message, TrackingException cause) {
        return cause.isTransient() ? new TransientFailure(message, cause) : new StageFailure(message, cause);
    }
}
