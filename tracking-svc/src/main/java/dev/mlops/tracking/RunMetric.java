package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** One point of a metric's history: value at a step, with a timestamp in epoch milliseconds (MLflow's model). */
@Entity
public class RunMetric extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false)
    public double value;

    @Column(nullable = false)
    public long step;

    @Column(nullable = false)
    public long timestampMs;
}
