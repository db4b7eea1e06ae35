package dev.mlops.train.service;

import java.util.List;

/** A run's metric history in tracking-svc (MLflow's log-batch). Best effort: the run's outcome does not depend on it. */
public interface MetricLog {

    /** @param step orders a metric's values, e.g. the candidate's index in the grid */
    record Point(String key, double value, long step) {
    }

    /**
     * @param timestampMillis the points' time: logging the same points with the same time again adds nothing, as
     *                        tracking-svc keeps one point per (run, key, step, timestamp)
     */
    void log(String runId, List<Point> points, long timestampMillis);
}
