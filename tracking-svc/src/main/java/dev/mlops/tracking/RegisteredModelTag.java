package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** A registered model's tag: one value per (model, key), the latest written wins. */
@Entity
public class RegisteredModelTag extends PanacheEntity {

    @Column(nullable = false)
    public Long modelId;

    @Column(nullable = false, length = 250)
    public String key;

    @Column(nullable = false, columnDefinition = "text")
    public String value;
}
