package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** A model version's tag (by the version's row id): one value per (version, key), the latest written wins. */
@Entity
public class ModelVersionTag extends PanacheEntity {

    @Column(nullable = false)
    public Long versionId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String value;
}
