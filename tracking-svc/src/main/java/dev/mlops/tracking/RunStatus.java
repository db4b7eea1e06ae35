package dev.mlops.tracking;

/** A run's state, derived from its stage executions; KILLED once it was stopped (MLflow's name). */
public enum RunStatus {
    RUNNING, SUCCEEDED, FAILED, KILLED;

    public boolean finished() {
        return this != RUNNING;
    }
}
