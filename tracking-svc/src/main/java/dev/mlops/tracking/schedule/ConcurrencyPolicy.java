package dev.mlops.tracking.schedule;

/** What a tick does while the schedule's previous run is still RUNNING (Argo's CronWorkflow concurrencyPolicy). */
public enum ConcurrencyPolicy {
    /** Start the new run beside it. */
    Allow,
    /** Skip the tick. */
    Forbid,
    /** Stop the running run, then start the new one. */
    Replace
}
