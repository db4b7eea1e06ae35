package dev.mlops.tracking.service;

import dev.mlops.common.event.Stage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.stream.Collectors;

/**
 * Promote or roll back: a registered version is deployed again through the deploy stage, as a retry of its run from
 * deploy (its image stage's completed event, re-published with the next attempt): the same rollout, inference test
 * and alias move as any deploy, an event and not a side door. Every version stays registered.
 */
@ApplicationScoped
public class ModelPromotions {

    private final ModelRegistry registry;
    private final RunRetries retries;

    public ModelPromotions(ModelRegistry registry, RunRetries retries) {
        this.registry = registry;
        this.retries = retries;
    }

    /** Deploys {@code version} of model {@code name} (its run must have built an image and not be running). */
    public RunRetries.Retry promote(String name, Integer version) {
        registry.get(name);
        if (version == null) {
            throw new InvalidInput("version", "version is missing: name the version to deploy, {\"version\": N}");
        }
        ModelRegistry.VersionDetails target;
        try {
            target = registry.version(name, String.valueOf(version));
        } catch (NotFound e) {
            throw new InvalidInput("version", "registered model '" + name + "' has no version " + version
                    + "; its versions: " + registry.versions(name).stream()
                    .map(v -> String.valueOf(v.version().version)).collect(Collectors.joining(", ")));
        }
        try {
            return retries.retry(target.version().runId, Stage.DEPLOY.id());
        } catch (InvalidState e) {
            throw new InvalidState("version " + version + " of '" + name + "' cannot be deployed again: "
                    + e.getMessage());
        }
    }
}
