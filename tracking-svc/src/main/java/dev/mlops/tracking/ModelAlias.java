package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** A movable name (e.g. "champion") for one version of a registered model. */
@Entity
public class ModelAlias extends PanacheEntity {

    @Column(nullable = false)
    public Long modelId;

    @Column(nullable = false, length = 255)
    public String alias;

    @Column(nullable = false)
    public int version;
}
