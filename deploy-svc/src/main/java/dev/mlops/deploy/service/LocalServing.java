package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.runtime.stage.StageFailure;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;

/**
 * Local deploys: ONE long-lived model-server listening on the stable serving port itself (no proxy in between), started
 * ahead of the first deploy. A deploy stages the run's bundle in it, runs the inference check against the staged model,
 * then promotes it (requests in flight finish on the old model; none fails). The server outlives deploy-svc (recorded
 * in {@code current.json}): a restarted deploy-svc adopts it; one that dies is started again, serving the model it
 * served.
 */
public class LocalServing implements AutoCloseable {

    static final String BACKEND = "local-model-server";
    static final String TOKEN_HEADER = "X-Mlops-Admin-Token";
    private static final Logger LOG = Logger.getLogger(LocalServing.class);
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    /** The model the server serves (recorded, and loaded at start when the server has to be started again). */
    record Served(String runId, String modelUri, String modelName, String modelVersion) {

        static Optional<Served> of(JsonNode record) {
            String uri = record.path("modelUri").asText("");
            return uri.isEmpty() ? Optional.empty() : Optional.of(new Served(record.path("runId").asText(), uri,
                    record.path("modelName").asText(null), record.path("modelVersion").asText(null)));
        }
    }

    private final ModelServerLauncher launcher;
    private final String host;
    private final int port;
    private final java.nio.file.Path stateDir;
    private final Map<String, String> env;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final ExecutorService restarts = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "local-model-server-watch");
        thread.setDaemon(true);
        return thread;
    });
    private ModelServerLauncher.ModelServer server;
    private Served served;
    private boolean wanted;
    /** Set when deploy-svc stops: a start ahead still waiting must not start a server after that. */
    private boolean closed;

    /** @param env what the model-server needs besides its address: the artifact store (MLOPS_S3_*) */
    public LocalServing(ModelServerLauncher launcher, String host, int port, java.nio.file.Path stateDir,
                        Map<String, String> env, String token) {
        this.launcher = launcher;
        this.host = host;
        this.port = port;
        this.stateDir = stateDir;
        this.env = Map.copyOf(env);
        this.token = token;
    }

    public String servingUrl() {
        return baseUrl() + "/invocations";
    }

    /** {@link #ensureRunning()}, unless deploy-svc is stopping meanwhile (nothing would stop what it started). */
    public synchronized void startAhead() {
        if (!closed) {
            ensureRunning();
        }
    }

    /** Adopts the recorded model-server when it still answers with our token, else starts one (serving what was served). */
    public synchronized void ensureRunning() {
        wanted = true;
        if (server != null && server.process().isAlive()) {
            return;
        }
        Optional<JsonNode> record = DeploymentRecord.read(stateDir).filter(r -> BACKEND.equals(r.path("backend").asText()));
        served = record.flatMap(Served::of).orElse(served);
        Optional<ModelServerLauncher.ModelServer> recorded = record.flatMap(launcher::find);
        if (recorded.isPresent() && recorded.get().port() == port && answersAdmin()) {
            server = recorded.get();
            watch(server);
            LOG.infof("the local model-server (pid %d) still serves %s: adopted", server.process().pid(), servingUrl());
            return;
        }
        recorded.ifPresent(leftover -> {
            LOG.infof("stopping the model-server pid %d left from an earlier deploy-svc: it does not answer %s",
                    leftover.process().pid(), baseUrl());
            leftover.stop(STOP_GRACE);
        });
        start();
    }

    /**
     * Stages the bundle at {@code modelUri}, lets {@code check} test the staged model (its invocations URL and the
     * headers to send), then serves it. A model that fails its check is dropped; the served one keeps serving.
     */
    public synchronized <T> T deploy(Served next, BiFunction<String, Map<String, String>, T> check) {
        ensureRunning();
        Map<String, String> stage = new LinkedHashMap<>();
        stage.put("uri", next.modelUri());
        stage.put("name", next.modelName());
        stage.put("version", next.modelVersion());
        admin("PUT", "/admin/model/staged", Json.write(stage), "stage " + next.modelUri());
        T outcome;
        try {
            outcome = check.apply(baseUrl() + "/admin/model/staged/invocations", Map.of(TOKEN_HEADER, token));
        } catch (RuntimeException e) {
            try {
                admin("DELETE", "/admin/model/staged", null, "drop the staged model");
            } catch (RuntimeException dropFailed) {
                e.addSuppressed(dropFailed);
            }
            throw e;
        }
        admin("POST", "/admin/model/promote", "", "promote " + next.modelUri());
        served = next;
        record();
        return outcome;
    }

    /** The server's pid, when one runs. */
    public synchronized Optional<Long> pid() {
        return Optional.ofNullable(server).filter(s -> s.process().isAlive()).map(s -> s.process().pid());
    }

    /** Stops the server and keeps it stopped: a container takes the stable port (not gapless). */
    public synchronized void release() {
        wanted = false;
        if (server != null) {
            server.stop(STOP_GRACE);
            LOG.infof("the local model-server (pid %d) stopped: the stable port goes to the serving front",
                    server.process().pid());
            server = null;
        }
    }

    /** Stops watching; the server keeps serving for the next deploy-svc to adopt ({@code ./mlops down} stops it). */
    @Override
    public synchronized void close() {
        closed = true;
        wanted = false;
        restarts.shutdownNow();
    }

    private void start() {
        try {
            server = launcher.start(host, port, serverEnv());
        } catch (StageFailure e) {
            if (served == null) {
                throw e;
            }
            // the recorded model may be gone from the store: a server with no model still takes the next deploy
            LOG.warnf("the local model-server did not start with run %s's model: %s; starting it with no model",
                    served.runId(), e.getMessage());
            served = null;
            server = launcher.start(host, port, serverEnv());
        }
        record();
        watch(server);
        LOG.infof("the local model-server (pid %d) listens on %s%s", server.process().pid(), baseUrl(),
                served == null ? " with no model yet" : ", serving run " + served.runId() + "'s model");
    }

    private Map<String, String> serverEnv() {
        Map<String, String> serverEnv = new LinkedHashMap<>(env);
        serverEnv.put("MLOPS_MODEL_ADMIN_TOKEN", token);
        serverEnv.put("MLOPS_MODEL_LOAD_AT_START", Boolean.toString(served != null));
        if (served != null) {
            serverEnv.put("MLOPS_MODEL_URI", served.modelUri());
            putIfKnown(serverEnv, "MLOPS_MODEL_NAME", served.modelName());
            putIfKnown(serverEnv, "MLOPS_MODEL_VERSION", served.modelVersion());
        }
        return serverEnv;
    }

    private void watch(ModelServerLauncher.ModelServer watched) {
        watched.process().onExit().thenRunAsync(() -> restartIfLost(watched), restarts);
    }

    private synchronized void restartIfLost(ModelServerLauncher.ModelServer exited) {
        if (!wanted || server != exited) {
            return;
        }
        LOG.warnf("the local model-server (pid %d) died: starting it again (log: %s)", exited.process().pid(),
                exited.log());
        server = null;
        try {
            start();
        } catch (RuntimeException e) {
            LOG.errorf("could not start the local model-server again: %s (the next deploy tries again)", e.getMessage());
        }
    }

    private void record() {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("backend", BACKEND);
        if (served != null) {
            state.put("runId", served.runId());
            state.put("modelUri", served.modelUri());
            state.put("modelName", served.modelName());
            state.put("modelVersion", served.modelVersion());
        }
        state.put("pid", server.process().pid());
        state.put("port", port);
        state.put("log", server.log().toString());
        state.put("servingUrl", servingUrl());
        DeploymentRecord.write(stateDir, state);
    }

    private boolean answersAdmin() {
        try {
            return send("GET", "/admin/model", null, Duration.ofSeconds(2)).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void admin(String method, String path, String body, String what) {
        HttpResponse<String> answer;
        try {
            answer = send(method, path, body, launcher.startTimeout());
        } catch (IOException e) {
            throw new StageFailure("the local model-server at " + baseUrl() + " did not answer (" + what + "): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while asking the local model-server to " + what, e);
        }
        if (answer.statusCode() / 100 != 2) {
            throw new StageFailure("the local model-server could not " + what + ": " + answer.statusCode() + " "
                    + answer.body());
        }
    }

    private HttpResponse<String> send(String method, String path, String body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(timeout)
                .header(TOKEN_HEADER, token).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String baseUrl() {
        return "http://" + host + ":" + port;
    }

    private static void putIfKnown(Map<String, String> env, String key, String value) {
        if (value != null && !value.isBlank()) {
            env.put(key, value);
        }
    }
}
