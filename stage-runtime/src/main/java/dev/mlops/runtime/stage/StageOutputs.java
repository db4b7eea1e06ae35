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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
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
 * The outputs this process recorded or read are also kept in memory (the newest {@value #REMEMBERED}), so a record
 * delivered to it again is answered without a store request.
 */
@ApplicationScoped
public class StageOutputs {

    static final int REMEMBERED = 256;

    private final ArtifactStore store;
    private final Map<URI, StageEvent> remembered = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<URI, StageEvent> eldest) {
                    return size() > REMEMBERED;
                }
            });

    public StageOutputs(ArtifactStore store) {
        this.store = store;
    }

    /** The output of this (run, stage, attempt) if this process recorded or read it; never asks the store. */
    public Optional<StageEvent> recordedHere(Stage stage, StageEvent input) {
        return Optional.ofNullable(remembered.get(uri(stage, input, ".json")));
    }

    public Optional<StageEvent> recorded(Stage stage, StageEvent input) {
        URI uri = uri(stage, input, ".json");
        StageEvent known = remembered.get(uri);
        if (known != null) {
            return Optional.of(known);
        }
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        StageEvent output = EventJson.readStageEvent(new String(store.read(uri), StandardCharsets.UTF_8));
        remembered.put(uri, output);
        return Optional.of(output);
    }

    public void record(Stage stage, StageEvent input, StageEvent output) {
        store.put(input.runId(), path(stage, input, ".json"), Json.write(output).getBytes(StandardCharsets.UTF_8),
                "application/json");
        remembered.put(uri(stage, input, ".json"), output);
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
