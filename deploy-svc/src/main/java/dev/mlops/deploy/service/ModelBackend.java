package dev.mlops.deploy.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A started model-server that the {@link ServingSlot} can put behind the stable front: a local process
 * ({@link ModelServerLauncher}) or a container ({@link ContainerLauncher}). It answers on a loopback port of its own.
 */
public interface ModelBackend {

    Duration PING_TIMEOUT = Duration.ofSeconds(2);

    String runId();

    /** The loopback port it answers on (not the front's). */
    int port();

    default String url() {
        return "http://127.0.0.1:" + port();
    }

    /** Whether {@code GET /ping} on its port answers 200 now. */
    default boolean answersPing() {
        try {
            HttpResponse<Void> answer = HttpClient.newBuilder().connectTimeout(PING_TIMEOUT).build().send(
                    HttpRequest.newBuilder(URI.create(url() + "/ping")).timeout(PING_TIMEOUT).build(),
                    HttpResponse.BodyHandlers.discarding());
            return answer.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops it (SIGTERM, then kill after {@code grace}) and frees what it held; a no-op when it is gone already. */
    void stop(Duration grace);

    /** What {@code current.json} records so that a later deploy-svc can adopt or stop it (pid or container id). */
    Map<String, Object> describe();
}
