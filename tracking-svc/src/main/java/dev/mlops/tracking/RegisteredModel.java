package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/** A named model in the registry; its versions point at trained model bundles. */
@Entity
public class RegisteredModel extends PanacheEntity {

    @Column(nullable = false, unique = true, length = 64)
    public String name;

    @Column(columnDefinition = "text")
    public String description;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;
}
