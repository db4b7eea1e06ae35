package dev.mlops.tracking.service;

/** The run was recorded but Kafka refused its request event, so it is FAILED (HTTP 503). */
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
