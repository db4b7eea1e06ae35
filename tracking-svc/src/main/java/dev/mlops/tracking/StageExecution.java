package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Basic;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.FetchType;

import java.time.Instant;

/**
 * One attempt of one stage of a run: unique per (run, stage, attempt). Status events and the completed event
 * come from different topics, so they may arrive in any order: a COMPLETED execution is never downgraded, and
 * a re-delivered event changes nothing.
 */
@Entity
public class StageExecution extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    /** The stage id, as {@link dev.mlops.common.event.Stage#id()}. */
    @Column(nullable = false, length = 32)
    public String stage;

    @Column(nullable = false)
    public int attempt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public StageStatus status;

    public Instant startedAt;

    public Instant finishedAt;

    @Column(columnDefinition = "text")
    public String error;

    public Integer progressDone;

    public Integer progressTotal;

    /** The completed event's JSON as consumed, for a retry to re-publish; read only when needed. */
    @Basic(fetch = FetchType.LAZY)
    @Column(columnDefinition = "text")
    public String completedEvent;

    public void started(Instant at) {
        switch (status) {
            case COMPLETED -> startedAt = earliest(startedAt, at);
            case FAILED -> {
                if (finishedAt != null && at.isAfter(finishedAt)) {
                    // started again after it failed: the stage re-ran the same attempt (a re-delivered input)
                    status = StageStatus.RUNNING;
                    startedAt = at;
                    finishedAt = null;
                    error = null;
                    progressDone = null;
                    progressTotal = null;
                } else {
                    startedAt = earliest(startedAt, at);
                }
            }
            default -> {
                status = StageStatus.RUNNING;
                startedAt = startedAt == null || at.isAfter(startedAt) ? at : startedAt;
            }
        }
    }

    public void progress(int done, int total) {
        if (status == StageStatus.PENDING || status == StageStatus.RUNNING) {
            status = StageStatus.RUNNING;
            progressDone = done;
            progressTotal = total;
        }
    }

    public void failed(String message, Instant at) {
        if (status != StageStatus.COMPLETED) {
            status = StageStatus.FAILED;
            error = message;
            finishedAt = at;
        }
    }

    public void completed(Instant at, String event) {
        status = StageStatus.COMPLETED;
        completedEvent = event;
        finishedAt = at;
        error = null;
        if (progressTotal != null) {
            progressDone = progressTotal;
        }
    }

    private static Instant earliest(Instant current, Instant candidate) {
        return current == null || candidate.isBefore(current) ? candidate : current;
    }
}
