package dev.mlops.model.bundle;

/** Model bundle files that cannot be loaded: a file is missing, or one is not what it should be. */
public class InvalidBundleException extends IllegalArgumentException {
    public InvalidBundleException(String message) {
        super(message);
    }

    public InvalidBundleException(String message, Throwable cause) {
        super(message, cause);
    }
}
