package dev.mlops.tracking.schedule;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;

import java.time.Instant;

/** A pipeline spec started on a cron schedule (Argo's CronWorkflow). */
@Entity
public class Schedule extends PanacheEntity {

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    /** As the user gave it: five fields or a nickname such as {@code @daily}. */
    @Column(nullable = false, length = 256)
    public String cron;

    /** A time-zone id ({@code Europe/Paris}, {@code UTC}) the cron expression is read in. */
    @Column(nullable = false, length = 64)
    public String timezone;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public ConcurrencyPolicy concurrencyPolicy;

    @Column(nullable = false)
    public boolean suspended;

    /** The complete (defaults-filled) pipeline spec as JSON. */
    @Column(nullable = false, columnDefinition = "text")
    public String spec;

    @Column(nullable = false)
    public Instant createdAt;

    /** The next tick; null while suspended (or when the expression has no more ticks). */
    public Instant nextRunAt;

    @Column(length = 64)
    public String lastRunId;

    /** The tick that started {@link #lastRunId}. */
    public Instant lastRunAt;

    /** The last tick skipped because the previous run was still RUNNING (concurrencyPolicy Forbid). */
    public Instant lastSkippedAt;

    /** Why the last tick did not start its run, null once one did. */
    @Column(columnDefinition = "text")
    public String lastError;
}
