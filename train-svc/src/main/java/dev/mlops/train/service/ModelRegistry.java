package dev.mlops.train.service;

/** Where trained models are registered as versions of a named model (tracking-svc's registry). */
public interface ModelRegistry {

    /**
     * Registers the model stored under {@code artifactUri} as a version of {@code modelName}; registering the same
     * run attempt again answers the version it got the first time.
     *
     * @return the version number
     */
    int registerVersion(String modelName, String runId, String artifactUri, int attempt);
}
