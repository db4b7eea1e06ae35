package dev.mlops.bench;

import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Optional;

/** The requests the tracking figures time: JSON to tracking-svc, with the platform's token when it has one. */
final class TrackingRequests {

    private final Optional<String> authorization;

    TrackingRequests(Optional<String> apiToken) {
        this.authorization = apiToken.map(token -> "Bearer " + token);
    }

    HttpRequest post(URI uri, String json) {
        return authorized(HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    HttpRequest get(URI uri) {
        return authorized(HttpRequest.newBuilder(uri).header("Accept", "application/json").GET());
    }

    private HttpRequest authorized(HttpRequest.Builder request) {
        authorization.ifPresent(value -> request.header("Authorization", value));
        return request.timeout(Duration.ofSeconds(60)).build();
    }
}
