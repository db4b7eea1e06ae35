package dev.mlops.common.store;

/** The artifact store could not be reached or refused a request. */
public class ArtifactStoreException extends RuntimeException {
    /** A refusal that trying again cannot change (e.g. an artifact over the size limit). */
    public ArtifactStoreException(String message) {
        super(message);
    }

    public ArtifactStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
