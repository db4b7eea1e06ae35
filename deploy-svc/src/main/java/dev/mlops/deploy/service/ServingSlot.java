package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stable serving URL of this machine and the one backend behind it. Users call the {@link ServingFront}, whose
 * URL never changes; a deploy starts a model-server of its own (a process or a container), tests it on its own port,
 * then promotes it here: the front switches to it, requests still running on the previous backend finish, and that
 * backend is stopped, whichever kind it was. The current backend is recorded in {@code <state-dir>/current.json} and
 * outlives deploy-svc: a restarted deploy-svc adopts it when it still answers, and the front serves it again at once.
 */
public class ServingSlot implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServingSlot.class);
    static final String STATE_FILE = "current.json";
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private final ServingFront front;
    private final Path stateDir;
    private final Duration drainTimeout;
    private ModelBackend current;

    /**
     * @param adopters each gets the record of the backend an earlier deploy-svc left serving: the one of its kind adopts
     *                 it (the front starts and routes to it) or, when it no longer answers, stops it
     */
    public ServingSlot(ServingFront front, Path stateDir, Duration drainTimeout, List<BackendAdopter> adopters) {
        this.front = front;
        this.stateDir = stateDir;
        this.drainTimeout = drainTimeout;
        adoptRecorded(adopters);
    }

    /** Whether an earlier deploy-svc recorded a backend in {@code stateDir} (then the slot is worth starting at once). */
    public static boolean hasRecord(Path stateDir) {
        return Files.isRegularFile(stateDir.resolve(STATE_FILE));
    }

    /** Sends user traffic to {@code candidate}, lets the previous backend finish its requests, then stops it. */
    public synchronized String promote(ModelBackend candidate, Map<String, String> details) {
        front.start();
        ServingFront.Backend previous = front.switchTo(candidate.port());
        ModelBackend replaced = current;
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
            replaced.stop(STOP_GRACE);
            LOG.infof("model-server of run %s (%s) stopped; run %s serves at %s", replaced.runId(),
                    replaced.describe(), candidate.runId(), servingUrl());
        }
        return servingUrl();
    }

    /** Stops a backend that never got traffic (it failed its test). */
    public void discard(ModelBackend candidate) {
        candidate.stop(STOP_GRACE);
    }

    public String servingUrl() {
        return front.url() + "/invocations";
    }

    public synchronized ModelBackend current() {
        return current;
    }

    private void record(ModelBackend backend, Map<String, String> details) {
        Map<String, Object> state = new LinkedHashMap<>(details);
        state.put("runId", backend.runId());
        state.putAll(backend.describe());
        state.put("port", backend.port());
        state.put("servingUrl", servingUrl());
        state.put("deployedAt", Instant.now().toString());
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(STATE_FILE + ".tmp");
            Files.writeString(tmp, Json.write(state), StandardCharsets.UTF_8);
            Files.move(tmp, stateDir.resolve(STATE_FILE), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warnf("could not record the current deployment in %s: %s", stateDir, e.getMessage());
        }
    }

    private void adoptRecorded(List<BackendAdopter> adopters) {
        Path file = stateDir.resolve(STATE_FILE);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            JsonNode record = Json.tree(Files.readString(file));
            for (BackendAdopter adopter : adopters) {
                Optional<ModelBackend> adopted = adopter.adopt(record);
                if (adopted.isPresent()) {
                    front.start();
                    front.switchTo(adopted.get().port());
                    current = adopted.get();
                    LOG.infof("model-server of run %s (%s) still serves on port %d: adopted, served again at %s",
                            current.runId(), current.describe(), current.port(), servingUrl());
                    return;
                }
            }
            Files.delete(file);
        } catch (IOException | RuntimeException e) {
            LOG.warnf("could not adopt the deployment recorded in %s: %s", file, e.getMessage());
        }
    }

    /**
     * Stops the front only: the backend keeps serving on its own port and stays recorded, for the next deploy-svc to
     * adopt ({@code ./mlops down} stops it).
     */
    @Override
    public synchronized void close() {
        front.close();
    }
}
