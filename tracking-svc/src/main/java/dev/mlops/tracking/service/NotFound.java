package dev.mlops.tracking.service;

/** The addressed run, model, version or alias does not exist (HTTP 404). */
public class NotFound extends RuntimeException {
    public NotFound(String message) {
        super(message);
    }
}
