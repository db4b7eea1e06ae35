package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/** Groups the runs of one pipeline (the spec's name), as an MLflow experiment does. */
@Entity
public class Experiment extends PanacheEntity {

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    @Column(nullable = false)
    public Instant createdAt;
}
