package dev.mlops.common.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** A small client of tracking-svc's REST API, for stages and the CLI. */
public class TrackingClient {

    private final URI baseUrl;
    private final Optional<String> apiToken;
    private final HttpClient http;

    /** @param apiToken the API's bearer token (MLOPS_API_TOKEN); empty when the API asks for none */
    public TrackingClient(URI baseUrl, Optional<String> apiToken) {
        this.baseUrl = baseUrl;
        this.apiToken = apiToken.filter(token -> !token.isBlank());
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public URI baseUrl() {
        return baseUrl;
    }

    /** Starts a run from a pipeline spec ({@code {}} for the default pipeline) and returns its id. */
    public String startPipeline(String specJson) {
        JsonNode answer = send("POST", "/pipelines", specJson, 202);
        return answer.get("runId").asText();
    }

    /** The run's state as {@code GET /pipelines/{runId}} answers it. */
    public JsonNode run(String runId) {
        return send("GET", "/pipelines/" + runId, null, 200);
    }

    public JsonNode get(String path) {
        return send("GET", path, null, 200);
    }

    /** POSTs JSON; any of {@code acceptedStatuses} counts as success (e.g. 201 created, 200 already there). */
    public JsonNode post(String path, String json, int... acceptedStatuses) {
        return send("POST", path, json, acceptedStatuses);
    }

    private JsonNode send(String method, String path, String body, int... acceptedStatuses) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        apiToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new TrackingException(0, "tracking-svc at " + baseUrl + " did not answer: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TrackingException(0, "interrupted while calling tracking-svc");
        }
        if (java.util.Arrays.stream(acceptedStatuses).noneMatch(status -> status == response.statusCode())) {
            throw new TrackingException(response.statusCode(), method + " " + path + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return response.body().isEmpty() ? Json.mapper().createObjectNode() : Json.tree(response.body());
    }
}
