package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/** Groups the runs of one pipeline (the spec's name), as an MLflow experiment does. */
@Entity
public class Experiment extends PanacheEntity {

    public static final int MAX_NAME_LENGTH = 500;

    @Column(nullable = false, unique = true, length = MAX_NAME_LENGTH)
    public String name;

    @Column(nullable = false)
    public Instant createdAt;

    /** When its name last changed (MLflow's last_update_time); null: never since it was created. */
    public Instant lastUpdatedAt;

    @Column(nullable = false, length = 16)
    public String lifecycleStage = LifecycleStage.ACTIVE;

    /** Where its runs' artifacts go, when given at creation; null: the default location. */
    @Column(length = 2048)
    public String artifactLocation;
}
