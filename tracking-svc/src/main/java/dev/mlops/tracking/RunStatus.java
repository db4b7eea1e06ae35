package dev.mlops.tracking;

/** A run's state, derived from its stage executions. */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED;

    public boolean finished() {
        return this != RUNNING;
    }
}
