package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/** A named model in the registry; its versions point at trained model bundles. */
@Entity
public class RegisteredModel extends PanacheEntity {

    public static final int MAX_NAME_LENGTH = 256;

    @Column(nullable = false, unique = true, length = MAX_NAME_LENGTH)
    public String name;

    @Column(columnDefinition = "text")
    public String description;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant updatedAt;

    /** The highest version number ever given (deleted versions included): the next version is one more. */
    @Column(nullable = false)
    public int lastVersion;
}
