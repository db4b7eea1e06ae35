package dev.mlops.common.store;

import dev.mlops.common.json.Json;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * A stopped run's marker, {@code runs/<runId>/events/stopped.json} in the artifact store: tracking-svc writes it
 * when a run is stopped ({@code POST /pipelines/{id}/stop}), and every stage reads it before it works on an event,
 * skipping events of the stopped attempt or an earlier one (a retry, with a higher attempt, runs again). The
 * stages already read each run's prefix, so the check costs one request and needs no new connection or state.
 *
 * @param attempt the run's newest attempt when it was stopped
 * @param stoppedBy who stopped it ("the API", "schedule 'nightly' (concurrencyPolicy Replace)")
 */
public record RunStop(int attempt, String stoppedBy, Instant stoppedAt) {

    public static final String PATH = "events/stopped.json";

    public void write(ArtifactStore store, String runId) {
        store.put(runId, PATH, Json.write(this).getBytes(StandardCharsets.UTF_8), "application/json");
    }

    /** The run's stop, if it was stopped. */
    public static Optional<RunStop> read(ArtifactStore store, String runId) {
        URI uri = ArtifactUri.forRun(store.bucket(), runId, PATH).toUri();
        if (!store.exists(uri)) {
            return Optional.empty();
        }
        return Optional.of(Json.read(new String(store.read(uri), StandardCharsets.UTF_8), RunStop.class));
    }

    /** Whether an event of {@code attempt} belongs to what was stopped. */
    public boolean covers(int attempt) {
        return attempt <= this.attempt;
    }
}
