package dev.mlops.runtime.registry;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The model registry's aliases (tracking-svc): deploy points {@code production} at the version it rolled out;
 * evaluate scores the version behind {@code production} when the gate says the new model must beat it.
 */
public interface ModelAliases {

    String PRODUCTION = "production";

    /** A registered version: its number, the run that trained it and where its bundle is stored. */
    record AliasedVersion(int version, String runId, String artifactUri) {
    }

    void set(String modelName, String alias, int version);

    /** The version {@code alias} of {@code modelName} points at; empty when the model or the alias does not exist. */
    Optional<AliasedVersion> get(String modelName, String alias);

    /** The newest version of {@code modelName} registered from {@code runId}, if any. */
    OptionalInt versionOfRun(String modelName, String runId);
}
