package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** An experiment's tag: one value per (experiment, key), the latest written wins. */
@Entity
public class ExperimentTag extends PanacheEntity {

    @Column(nullable = false)
    public Long experimentId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String value;
}
