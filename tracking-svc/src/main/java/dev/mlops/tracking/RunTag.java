package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** A run's tag: one value per (run, key). */
@Entity
public class RunTag extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String value;
}
