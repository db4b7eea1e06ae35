package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.deploy.service.ModelServerLauncher.ModelServer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Local deployments: each model runs in its own model-server process; users call the {@link ServingFront}, whose
 * URL never changes. A new model is started and tested on its own port first, then promoted: the front switches to
 * it, requests still running on the previous model-server finish, and that process is stopped.
 * The current deployment is recorded in {@code <state-dir>/current.json}.
 */
public class LocalTarget implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(LocalTarget.class);
    static final String STATE_FILE = "current.json";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ModelServerLauncher launcher;
    private final ServingFront front;
    private final Path stateDir;
    private final Duration drainTimeout;
    private ModelServer current;

    public LocalTarget(ModelServerLauncher launcher, ServingFront front, Path stateDir, Duration drainTimeout) {
        this.launcher = launcher;
        this.front = front;
        this.stateDir = stateDir;
        this.drainTimeout = drainTimeout;
        stopOrphan();
    }

    /** Starts a model-server for the run and waits until it answers; it gets no user traffic yet. */
    public ModelServer start(String runId, Map<String, String> env) {
        return launcher.start(runId, env);
    }

    /** Sends user traffic to {@code candidate}, lets the previous model-server finish its requests, then stops it. */
    public synchronized String promote(ModelServer candidate, Map<String, String> details) {
        front.start();
        ServingFront.Backend previous = front.switchTo(candidate.port());
        ModelServer replaced = current;
        current = candidate;
        record(candidate, details);
        if (replaced != null) {
            try {
                if (!front.awaitIdle(previous, drainTimeout)) {
                    LOG.warnf("model-server of run %s still had %d requests after %s; stopping it anyway",
                            replaced.runId(), previous.inFlight(), drainTimeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ModelServerLauncher.stop(replaced, STOP_GRACE);
            LOG.infof("model-server of run %s (port %d) stopped; run %s serves at %s", replaced.runId(),
                    replaced.port(), candidate.runId(), servingUrl());
        }
        return servingUrl();
    }

    /** Stops a model-server that never got traffic (it failed its test). */
    public void discard(ModelServer candidate) {
        ModelServerLauncher.stop(candidate, STOP_GRACE);
    }

    public String servingUrl() {
        return front.url() + "/invocations";
    }

    public synchronized ModelServer current() {
        return current;
    }

    private void record(ModelServer server, Map<String, String> details) {
        Map<String, Object> state = new LinkedHashMap<>(details);
        state.put("runId", server.runId());
        state.put("pid", server.process().pid());
        state.put("port", server.port());
        state.put("log", server.log().toString());
        state.put("servingUrl", servingUrl());
        state.put("deployedAt", Instant.now().toString());
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(STATE_FILE + ".tmp");
            Files.writeString(tmp, Json.write(state), StandardCharsets.UTF_8);
            Files.move(tmp, stateDir.resolve(STATE_FILE), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("could not record the current deployment in %s: %s", stateDir, e.getMessage());
        }
    }

    /** A model-server left running by a deploy-svc that died without stopping it: nothing routes to it any more. */
    private void stopOrphan() {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode state = Json.tree(Files.readString(file));
            ProcessHandle.of(state.path("pid").asLong()).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                    .ifPresent(p -> {
                        LOG.infof("stopping model-server pid %d left from an earlier deploy-svc", p.pid());
                        ModelServerLauncher.stop(p, STOP_GRACE);
                    });
            Files.delete(file);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not read %s: %s", file, e.getMessage());
        }
    }

    /** Stops the front and the model-server: local deployments live as long as deploy-svc. */
    @Override
    public synchronized void close() {
        front.close();
        if (current != null) {
            ModelServerLauncher.stop(current, STOP_GRACE);
            current = null;
        }
        try {
            Files.deleteIfExists(stateDir.resolve(STATE_FILE));
        } catch (IOException e) {
            // the next start treats a stale record as an orphan check only
        }
    }
}
