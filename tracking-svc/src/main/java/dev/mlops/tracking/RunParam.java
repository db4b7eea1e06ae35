package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** A run's parameter: one value per (run, key), the latest written wins. */
@Entity
public class RunParam extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String value;
}
