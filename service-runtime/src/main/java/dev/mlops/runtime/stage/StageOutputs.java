package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The completed event of each (run, stage, attempt), kept in the artifact store at
 * {@code runs/<runId>/events/<stage>/attempt-<n>.json} before it is published. A redelivered or duplicated input
 * finds it and publishes it again instead of redoing the work: no second model version, no second deployment.
 */
@ApplicationScoped
public class StageOutputs {

    @Inject
    ArtifactStore store;

    public Optional<StageEvent> recorded(Stage stage, StageEvent input) {
        URI uri = uri(stage, input);
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        return Optional.of(EventJson.readStageEvent(new String(store.read(uri), StandardCharsets.UTF_8)));
    }

    public void record(Stage stage, StageEvent input, StageEvent output) {
        store.put(input.runId(), path(stage, input), Json.write(output).getBytes(StandardCharsets.UTF_8),
                "application/json");
    }

    private URI uri(Stage stage, StageEvent input) {
        return ArtifactUri.forRun(store.bucket(), input.runId(), path(stage, input)).toUri();
    }

    private static String path(Stage stage, StageEvent input) {
        return "events/" + stage.id() + "/attempt-" + input.attempt() + ".json";
    }
}
