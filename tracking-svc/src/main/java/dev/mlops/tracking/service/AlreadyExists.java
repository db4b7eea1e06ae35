package dev.mlops.tracking.service;

/** Creating something that exists, or re-registering a source with different content (HTTP 409). */
public class AlreadyExists extends RuntimeException {
    public AlreadyExists(String message) {
        super(message);
    }
}
