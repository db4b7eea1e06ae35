package dev.mlops.common.tracking;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A small client of tracking-svc's REST API, for stages and the CLI. */
public class TrackingClient {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);

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

    /** PATCHes JSON; any of {@code acceptedStatuses} counts as success. */
    public JsonNode patch(String path, String json, int... acceptedStatuses) {
        return send("PATCH", path, json, acceptedStatuses);
    }

    /** DELETEs; any of {@code acceptedStatuses} counts as success (an empty answer reads as {@code {}}). */
    public JsonNode delete(String path, int... acceptedStatuses) {
        return send("DELETE", path, null, acceptedStatuses);
    }

    /**
     * Uploads a CSV file as a dataset ({@code POST /datasets}, under a name made of the file's: letters, digits, '.',
     * '_', '-', ending in .csv); answers {@code {"uri", "sha256", "bytes", "columns"}}, the uri for a spec's
     * {@code dataset.uri}.
     */
    public JsonNode uploadDataset(Path file) throws FileNotFoundException {
        String name = file.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^[._-]+", "");
        if (!name.endsWith(".csv")) {
            name = name + ".csv";
        }
        return send("POST", "/datasets?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8), "text/csv",
                HttpRequest.BodyPublishers.ofFile(file), UPLOAD_TIMEOUT, 201);
    }

    private JsonNode send(String method, String path, String body, int... acceptedStatuses) {
        return body == null
                ? send(method, path, null, HttpRequest.BodyPublishers.noBody(), TIMEOUT, acceptedStatuses)
                : send(method, path, "application/json", HttpRequest.BodyPublishers.ofString(body), TIMEOUT,
                acceptedStatuses);
    }

    private JsonNode send(String method, String path, String contentType, HttpRequest.BodyPublisher body,
                          Duration timeout, int... acceptedStatuses) {
        HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path))
                .timeout(timeout)
                .header("Accept", "application/json");
        apiToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        request.method(method, body);
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
