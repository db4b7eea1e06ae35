package dev.mlops.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.common.json.Json;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Stands in for tracking-svc's model-registry REST API (which needs PostgreSQL and its own service): answers
 * {@code GET /models/{name}/versions} from registered versions, {@code GET /models/{name}/aliases/{alias}} from
 * {@link #ALIASES}, and records every {@code POST .../aliases/...}.
 */
public class TrackingStub implements QuarkusTestResourceLifecycleManager {

    public record Call(String method, String path, String body) {
    }

    public static final List<Call> CALLS = new CopyOnWriteArrayList<>();
    /** run id -> the version the stub's registry holds for it. */
    public static final Map<String, Integer> VERSIONS = new ConcurrentHashMap<>();
    /** "model/alias" -> the version it points at, as tracking-svc answers it (version, runId, artifactUri...). */
    public static final Map<String, Map<String, Object>> ALIASES = new ConcurrentHashMap<>();

    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/models/", this::answer);
        server.start();
        return Map.of("mlops.tracking.url", "http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        CALLS.add(new Call(exchange.getRequestMethod(), path, body));
        String[] parts = path.split("/");
        String answer;
        int status = 200;
        if ("GET".equals(exchange.getRequestMethod()) && path.endsWith("/versions")) {
            answer = Json.write(Map.of("versions", VERSIONS.entrySet().stream()
                    .map(v -> Map.of("name", parts[2], "version", v.getValue(), "runId", v.getKey())).toList()));
        } else if ("GET".equals(exchange.getRequestMethod()) && parts.length == 5 && parts[3].equals("aliases")
                && ALIASES.containsKey(parts[2] + "/" + parts[4])) {
            answer = Json.write(ALIASES.get(parts[2] + "/" + parts[4]));
        } else if ("POST".equals(exchange.getRequestMethod()) && parts.length == 5 && parts[3].equals("aliases")) {
            answer = Json.write(Map.of("name", parts[2], "version", Json.tree(body).path("version").asInt(),
                    "aliases", List.of(parts[4])));
        } else {
            status = 404;
            answer = "{\"error\": \"not found\"}";
        }
        byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    /** Points {@code alias} of {@code modelName} at a version trained by {@code runId}, stored at {@code artifactUri}. */
    public static void setAlias(String modelName, String alias, int version, String runId, String artifactUri) {
        ALIASES.put(modelName + "/" + alias, Map.of("name", modelName, "version", version, "runId", runId,
                "artifactUri", artifactUri, "aliases", List.of(alias)));
    }

    /** The alias calls made for {@code modelName}, newest last. */
    public static List<Call> aliasCalls(String modelName) {
        return CALLS.stream().filter(c -> c.method().equals("POST")
                && c.path().equals("/models/" + modelName + "/aliases/production")).toList();
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
