package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The stable serving URL of this machine when a container serves it: users call the {@link ServingFront}, whose URL
 * never changes; a container deploy starts a model-server container, tests it on its own port, then promotes it here:
 * the front switches to it, requests still running on the previous container finish, and that one is stopped. (Local
 * deploys need no front: the warm model-server of {@link LocalServing} listens on the stable port itself.) The current backend is recorded in {@code <state-dir>/current.json} and
 * outlives deploy-svc: a restarted deploy-svc adopts it when it still answers, and the front serves it again at once.
 */
public class ServingSlot implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(ServingSlot.class);
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

    /** Whether an earlier deploy-svc recorded a backend of the front (a container) in {@code stateDir}: adopt it at once. */
    public static boolean hasRecord(Path stateDir) {
        return DeploymentRecord.read(stateDir).filter(ServingSlot::isFrontBackend).isPresent();
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
        DeploymentRecord.write(stateDir, state);
    }

    private void adoptRecorded(List<BackendAdopter> adopters) {
        Optional<JsonNode> record = DeploymentRecord.read(stateDir).filter(ServingSlot::isFrontBackend);
        if (record.isEmpty()) {
            return;
        }
        try {
            for (BackendAdopter adopter : adopters) {
                Optional<ModelBackend> adopted = adopter.adopt(record.get());
                if (adopted.isPresent()) {
                    front.start();
                    front.switchTo(adopted.get().port());
                    current = adopted.get();
                    LOG.infof("model-server of run %s (%s) still serves on port %d: adopted, served again at %s",
                            current.runId(), current.describe(), current.port(), servingUrl());
                    return;
                }
            }
            DeploymentRecord.delete(stateDir);
        } catch (RuntimeException e) {
            LOG.warnf("could not adopt the deployment recorded in %s: %s", stateDir, e.getMessage());
        }
    }

    /** Whether the record names a backend of the front (a container), not the warm local model-server. */
    private static boolean isFrontBackend(JsonNode record) {
        return !LocalServing.BACKEND.equals(record.path("backend").asText());
    }

    /**
     * Gives the stable port up for the warm local model-server: the front stops listening and the container behind it
     * is stopped (a switch from container to local mode is not gapless).
     */
    public synchronized void retire() {
        front.close();
        if (current != null) {
            current.stop(STOP_GRACE);
            LOG.infof("model-server of run %s (%s) stopped: local deploys serve on the stable port themselves",
                    current.runId(), current.describe());
            current = null;
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
