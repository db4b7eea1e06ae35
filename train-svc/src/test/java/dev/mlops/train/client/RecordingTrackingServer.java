package dev.mlops.train.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Stands in for tracking-svc (which other tests cover) on a loopback port: answers the model registry and
 * log-batch calls as tracking-svc's API documents them, and records every request so a test can check what a
 * real tracking-svc would have received.
 */
public class RecordingTrackingServer implements AutoCloseable {

    public record Request(String method, String path, String body) {
        public JsonNode json() {
            return Json.tree(body);
        }
    }

    private record Version(String name, int version, String runId, int attempt, String artifactUri) {
    }

    /** Where the recorded requests can be read back over HTTP, for a test in another class loader (Quarkus). */
    public static final String RECORDED = "/recorded-requests";

    private static final Pattern VERSIONS = Pattern.compile("/models/([^/]+)/versions");
    private static final Pattern LOG_BATCH = Pattern.compile("/pipelines/([^/]+)/log-batch");

    private final HttpServer server;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Version> versions = new ArrayList<>();
    private volatile int failWith;

    public RecordingTrackingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathPattern) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().matches(pathPattern)).toList();
    }

    /** The requests the server at {@code url} recorded, read over HTTP. */
    public static List<Request> recordedAt(URI url) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(url.resolve(RECORDED)).build(), HttpResponse.BodyHandlers.ofString());
            return List.of(Json.mapper().readValue(response.body(), Request[].class));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Answer every following request with this HTTP status (0: answer normally again). */
    public void failWith(int status) {
        failWith = status;
    }

    private synchronized void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String method = exchange.getRequestMethod();
        if (path.equals(RECORDED)) {
            answer(exchange, 200, requests);
            return;
        }
        requests.add(new Request(method, path, body));
        if (failWith != 0) {
            answer(exchange, failWith, Map.of("error_code", "INTERNAL_ERROR", "message", "failing on purpose"));
            return;
        }
        Matcher versionsPath = VERSIONS.matcher(path);
        if (versionsPath.matches() && method.equals("POST")) {
            register(exchange, versionsPath.group(1), Json.tree(body));
        } else if (versionsPath.matches() && method.equals("GET")) {
            List<Version> ofModel = versions.stream().filter(v -> v.name().equals(versionsPath.group(1))).toList();
            answer(exchange, 200, Map.of("versions", ofModel));
        } else if (LOG_BATCH.matcher(path).matches() && method.equals("POST")) {
            answer(exchange, 200, Map.of());
        } else {
            answer(exchange, 404, Map.of("error_code", "NOT_FOUND", "message", method + " " + path));
        }
    }

    private void register(HttpExchange exchange, String name, JsonNode request) throws IOException {
        String runId = request.path("runId").asText();
        int attempt = request.path("attempt").asInt(1);
        for (Version existing : versions) {
            if (existing.name().equals(name) && existing.runId().equals(runId) && existing.attempt() == attempt) {
                answer(exchange, 200, existing);
                return;
            }
        }
        int number = (int) versions.stream().filter(v -> v.name().equals(name)).count() + 1;
        Version version = new Version(name, number, runId, attempt, request.path("artifactUri").asText());
        versions.add(version);
        answer(exchange, 201, version);
    }

    private static void answer(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
