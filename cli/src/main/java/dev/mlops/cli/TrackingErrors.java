package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

/** What the user is told when a call to tracking-svc's API fails: why, and what to do about it. */
final class TrackingErrors {

    private final LocalStack stack;
    private final URI trackingUrl;

    TrackingErrors(LocalStack stack, URI trackingUrl) {
        this.stack = stack;
        this.trackingUrl = trackingUrl;
    }

    /** A client of the stack's tracking-svc, with its API token. */
    static TrackingClient client(LocalStack stack) {
        return new TrackingClient(URI.create(stack.trackingUrl()), stack.apiToken());
    }

    /** @param notFound what a 404 means here; null: the server's message */
    CliException explain(TrackingException e, String notFound) {
        if (e.status() == 0) {
            return new CliException("tracking-svc does not answer at " + trackingUrl + ": "
                    + whyNotServing(ServiceModule.TRACKING));
        }
        if (e.status() == 401) {
            return new CliException("tracking-svc at " + trackingUrl + " refused the API token (HTTP 401): set"
                    + " MLOPS_API_TOKEN to the token it was started with (./mlops token prints the local stack's)");
        }
        if (e.status() == 404 && notFound != null) {
            return new CliException(notFound);
        }
        if (e.status() >= 400 && e.status() < 500) {
            return new CliException("tracking-svc refused the request (HTTP " + e.status() + "): "
                    + serverMessage(e.getMessage()));
        }
        return new CliException(e.getMessage());
    }

    /**
     * The server's own words: TrackingClient's message is {@code "<METHOD> <path> answered <status>: <body>"};
     * a JSON body's {@code message} (or {@code error}) field is what the server says.
     */
    static String serverMessage(String trackingMessage) {
        int colon = trackingMessage.indexOf(": ");
        String body = colon < 0 ? trackingMessage : trackingMessage.substring(colon + 2);
        try {
            JsonNode json = Json.tree(body);
            for (String field : new String[]{"message", "error", "detail", "title"}) {
                if (json.path(field).isTextual()) {
                    return json.get(field).asText();
                }
            }
        } catch (JsonInputException e) {
            // not JSON: the body itself is the message
        }
        return body.isBlank() ? "(no message)" : body;
    }

    /** Why a service that is needed does not answer, and what to do about it. */
    String whyNotServing(ServiceModule service) {
        String name = service.name();
        Path home = stack.settings().home();
        Optional<PidRecord> running = stack.running(name);
        if (running.isPresent()) {
            return name + " runs (pid " + running.get().pid() + ") but does not answer: check " + running.get().log();
        }
        if (!service.isBuilt(home)) {
            return "no " + name + " running, and it is not built (" + service.runJar(home) + " is missing): build it"
                    + " (./mvnw -q -B package -DskipTests, or just ./mlops up, which builds what is missing), then ./mlops up";
        }
        return "no " + name + " running: start it with ./mlops up, or check " + stack.settings().state().log(name);
    }
}
