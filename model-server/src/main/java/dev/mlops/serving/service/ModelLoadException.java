package dev.mlops.serving.service;

/** The configured model bundle cannot be served: the server does not start. */
public class ModelLoadException extends RuntimeException {
    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
