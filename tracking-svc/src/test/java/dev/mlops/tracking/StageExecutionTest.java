package dev.mlops.tracking;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** How one stage execution reacts to events arriving in any order, without Quarkus. */
class StageExecutionTest {

    static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    @Test
    void startedThenCompleted() {
        StageExecution e = pending();
        e.started(T0);
        assertThat(e.status).isEqualTo(StageStatus.RUNNING);
        e.progress(3, 10);
        e.completed(T0.plusSeconds(5), "{}");
        assertThat(e.status).isEqualTo(StageStatus.COMPLETED);
        assertThat(e.startedAt).isEqualTo(T0);
        assertThat(e.finishedAt).isEqualTo(T0.plusSeconds(5));
        assertThat(e.progressDone).isEqualTo(10);
    }

    @Test
    void completedIsNeverDowngradedByLateStatusEvents() {
        StageExecution e = pending();
        e.completed(T0.plusSeconds(5), "{}");
        e.started(T0);
        e.progress(1, 2);
        e.failed("late", T0.plusSeconds(6));
        assertThat(e.status).isEqualTo(StageStatus.COMPLETED);
        assertThat(e.startedAt).isEqualTo(T0);
        assertThat(e.error).isNull();
        assertThat(e.progressTotal).isNull();
    }

    @Test
    void failedKeepsItsErrorWhenAnOlderStartedArrivesAgain() {
        StageExecution e = pending();
        e.started(T0);
        e.failed("boom", T0.plusSeconds(2));
        e.started(T0);
        assertThat(e.status).isEqualTo(StageStatus.FAILED);
        assertThat(e.error).isEqualTo("boom");
    }

    @Test
    void startedAfterTheFailureIsAReRun() {
        StageExecution e = pending();
        e.started(T0);
        e.failed("boom", T0.plusSeconds(2));
        e.started(T0.plusSeconds(3));
        assertThat(e.status).isEqualTo(StageStatus.RUNNING);
        assertThat(e.error).isNull();
        assertThat(e.finishedAt).isNull();
        assertThat(e.startedAt).isEqualTo(T0.plusSeconds(3));
    }

    static StageExecution pending() {
        StageExecution e = new StageExecution();
        e.runId = "r";
        e.stage = "train";
        e.attempt = 1;
        e.status = StageStatus.PENDING;
        return e;
    }
}
