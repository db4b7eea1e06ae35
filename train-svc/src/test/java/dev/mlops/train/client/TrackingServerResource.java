package dev.mlops.train.client;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** A {@link RecordingTrackingServer} for a Quarkus test: points {@code mlops.tracking.url} at it. */
public class TrackingServerResource implements QuarkusTestResourceLifecycleManager {

    private RecordingTrackingServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = new RecordingTrackingServer();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("mlops.tracking.url", server.url().toString());
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
