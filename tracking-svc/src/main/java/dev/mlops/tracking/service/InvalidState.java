package dev.mlops.tracking.service;

/** The request is well-formed but the run's state does not allow it now (HTTP 409). */
public class InvalidState extends RuntimeException {
    public InvalidState(String message) {
        super(message);
    }
}
