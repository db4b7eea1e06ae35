package dev.mlops.deploy.service;

import java.util.OptionalInt;

/** The model registry's aliases (tracking-svc): deploy points {@code production} at the version it rolled out. */
public interface ModelAliases {

    String PRODUCTION = "production";

    void set(String modelName, String alias, int version);

    /** The newest version of {@code modelName} registered from {@code runId}, if any. */
    OptionalInt versionOfRun(String modelName, String runId);
}
