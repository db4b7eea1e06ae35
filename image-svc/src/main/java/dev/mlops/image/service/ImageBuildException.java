package dev.mlops.image.service;

/**
 * Jib could not build or push the image; the message says why (registry refused, base missing, ...).
 * {@link #unreachable()}: a registry did not answer at all, which may pass (it is restarting): worth trying again.
 */
public class ImageBuildException extends Exception {

    private final boolean unreachable;

    public ImageBuildException(String message, Throwable cause) {
        this(message, cause, false);
    }

    public ImageBuildException(String message, Throwable cause, boolean unreachable) {
        super(message, cause);
        this.unreachable = unreachable;
    }

    public boolean unreachable() {
        return unreachable;
    }
}
