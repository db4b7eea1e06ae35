package dev.mlops.runtime.config;

import dev.mlops.common.tracking.TrackingClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.net.URI;

public class TrackingClientProducer {

    @Produces
    @ApplicationScoped
    TrackingClient trackingClient(TrackingConfig config) {
        return new TrackingClient(URI.create(config.url()), config.apiToken());
    }
}
