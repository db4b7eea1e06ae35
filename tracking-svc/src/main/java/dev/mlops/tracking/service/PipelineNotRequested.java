package dev.mlops.tracking.service;

/** Kafka refused the event that starts (or retries) a recorded run, so the run is FAILED (HTTP 503). */
public class PipelineNotRequested extends RuntimeException {
    private final String runId;

    public PipelineNotRequested(String runId, String message, Throwable cause) {
        super(message, cause);
        this.runId = runId;
    }

    public String runId() {
        return runId;
    }
}
