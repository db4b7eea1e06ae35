package dev.mlops.tracking;

/** MLflow's lifecycle of experiments and runs: deleting one only marks it, and restoring it unmarks it. */
public final class LifecycleStage {

    public static final String ACTIVE = "active";
    public static final String DELETED = "deleted";

    private LifecycleStage() {
    }
}
