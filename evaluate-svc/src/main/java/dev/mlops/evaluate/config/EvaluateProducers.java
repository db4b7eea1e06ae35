package dev.mlops.evaluate.config;

import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.runtime.registry.ModelAliases;
import dev.mlops.runtime.registry.TrackingModelAliases;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The model registry's aliases through tracking-svc ({@code mlops.tracking.url}), for gate.mustBeatProduction. */
public class EvaluateProducers {

    @Produces
    @ApplicationScoped
    ModelAliases modelAliases(TrackingClient tracking) {
        return new TrackingModelAliases(tracking);
    }
}
