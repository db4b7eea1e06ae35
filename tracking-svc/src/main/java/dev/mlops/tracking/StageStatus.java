package dev.mlops.tracking;

/** One stage execution's state; PENDING only appears for stages the run has not reached. */
public enum StageStatus {
    PENDING, RUNNING, COMPLETED, FAILED
}
