package dev.mlops.common.store;

/** The artifact store could not be reached or refused a request. */
public class ArtifactStoreException extends RuntimeException {
    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
