package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * What each (run, stage, attempt) left in the artifact store under {@code runs/<runId>/events/<stage>/}:
 * <ul>
 * <li>{@code attempt-<n>.json}, the completed event, kept before it is published. A redelivered or duplicated input
 * finds it and publishes it again instead of redoing the work: no second model version, no second deployment.</li>
 * <li>{@code attempt-<n>.starts}, how many deliveries started the work, written before each start. Starts without
 * a recorded output are crashes (the service died or was killed during the work); they survive restarts, so a
 * record that kills its consumer every time can be parked instead of being delivered forever.</li>
 * </ul>
 */
@ApplicationScoped
public class StageOutputs {

    private final ArtifactStore store;

    public StageOutputs(ArtifactStore store) {
        this.store = store;
    }

    public Optional<StageEvent> recorded(Stage stage, StageEvent input) {
        URI uri = uri(stage, input, ".json");
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        return Optional.of(EventJson.readStageEvent(new String(store.read(uri), StandardCharsets.UTF_8)));
    }

    public void record(Stage stage, StageEvent input, StageEvent output) {
        store.put(input.runId(), path(stage, input, ".json"), Json.write(output).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    /** Deliveries that started this (run, stage, attempt) before; 0 when none did or the count is unreadable. */
    public int starts(Stage stage, StageEvent input) {
        URI uri = uri(stage, input, ".starts");
        if (!store.exists(uri)) {
            return 0;
        }
        try {
            return Math.max(0, Integer.parseInt(new String(store.read(uri), StandardCharsets.UTF_8).trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    public void recordStarts(Stage stage, StageEvent input, int starts) {
        store.put(input.runId(), path(stage, input, ".starts"), Integer.toString(starts).getBytes(StandardCharsets.UTF_8),
                "text/plain");
    }

    private URI uri(Stage stage, StageEvent input, String suffix) {
        return ArtifactUri.forRun(store.bucket(), input.runId(), path(stage, input, suffix)).toUri();
    }

    private static String path(Stage stage, StageEvent input, String suffix) {
        return "events/" + stage.id() + "/attempt-" + input.attempt() + suffix;
    }
}
