package dev.mlops.common.tracking;

/** tracking-svc answered with an unexpected status (0 when it could not be reached). */
public class TrackingException extends RuntimeException {
    private final int status;

    public TrackingException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** Worth trying again: tracking-svc did not answer, or answered 5xx (its database down, say). */
    public boolean isTransient() {
        return status == 0 || status >= 500;
    }
}
