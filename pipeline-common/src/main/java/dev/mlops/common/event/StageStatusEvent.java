package dev.mlops.common.event;

import dev.mlops.common.text.Text;

import java.time.Instant;

/** Stage life-cycle on {@code mlops.stage.status}: STARTED, PROGRESS (done / total) or FAILED (with error). */
public record StageStatusEvent(
        int schemaVersion,
        String runId,
        String stage,
        int attempt,
        Status status,
        String error,
        Progress progress,
        Instant occurredAt) {

    public enum Status { STARTED, PROGRESS, FAILED }

    public record Progress(int done, int total) {
    }

    public static StageStatusEvent started(StageEvent input, Stage stage) {
        return of(input, stage, Status.STARTED, null, null);
    }

    public static StageStatusEvent progress(StageEvent input, Stage stage, int done, int total) {
        return of(input, stage, Status.PROGRESS, null, new Progress(done, total));
    }

    /** Error texts longer than this are cut: they are shown to users and stored with the run. */
    public static final int ERROR_LIMIT = 4_000;

    /** @param error why the stage failed; control characters are escaped (it may quote user input) */
    public static StageStatusEvent failed(StageEvent input, Stage stage, String error) {
        return of(input, stage, Status.FAILED, Text.quote(error, ERROR_LIMIT), null);
    }

    private static StageStatusEvent of(StageEvent input, Stage stage, Status status, String error, Progress progress) {
        return new StageStatusEvent(StageEvent.SCHEMA_VERSION, input.runId(), stage.id(), input.attempt(),
                status, error, progress, Instant.now());
    }
}
