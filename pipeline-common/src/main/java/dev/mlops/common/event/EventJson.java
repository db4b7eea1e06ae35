package dev.mlops.common.event;

import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;

/** Reads events off the wire; anything unreadable becomes an {@link InvalidEventException} for the dead-letter topic. */
public final class EventJson {

    static final int MAX_RUN_ID = 128;

    private EventJson() {
    }

    public static StageEvent readStageEvent(String payload) {
        StageEvent event = read(payload, StageEvent.class);
        check(event.schemaVersion(), event.runId());
        if (event.spec() == null) {
            throw new InvalidEventException("event of run " + event.runId() + " carries no pipeline spec");
        }
        return event;
    }

    public static StageStatusEvent readStatusEvent(String payload) {
        StageStatusEvent event = read(payload, StageStatusEvent.class);
        check(event.schemaVersion(), event.runId());
        if (event.status() == null || event.stage() == null) {
            throw new InvalidEventException("status event of run " + event.runId() + " lacks stage or status");
        }
        return event;
    }

    private static <T> T read(String payload, Class<T> type) {
        try {
            return Json.read(payload, type);
        } catch (JsonInputException e) {
            throw new InvalidEventException("not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private static void check(int schemaVersion, String runId) {
        if (schemaVersion != StageEvent.SCHEMA_VERSION) {
            throw new InvalidEventException("unknown schemaVersion " + schemaVersion
                    + " (this service reads version " + StageEvent.SCHEMA_VERSION + ")");
        }
        if (runId == null || runId.isBlank()) {
            throw new InvalidEventException("event has no runId");
        }
        if (runId.length() > MAX_RUN_ID) {
            throw new InvalidEventException("runId is " + runId.length() + " characters long, at most " + MAX_RUN_ID);
        }
    }
}
