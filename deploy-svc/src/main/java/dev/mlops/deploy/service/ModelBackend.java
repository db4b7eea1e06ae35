package dev.mlops.deploy.service;

import java.time.Duration;
import java.util.Map;

/**
 * A started model-server that the {@link ServingSlot} can put behind the stable front: a local process
 * ({@link ModelServerLauncher}) or a container ({@link ContainerLauncher}). It answers on a loopback port of its own.
 */
public interface ModelBackend {

    String runId();

    /** The loopback port it answers on (not the front's). */
    int port();

    default String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Stops it (SIGTERM, then kill after {@code grace}) and frees what it held; a no-op when it is gone already. */
    void stop(Duration grace);

    /** What {@code current.json} records so that a later deploy-svc can find and stop it (pid or container id). */
    Map<String, Object> describe();
}
