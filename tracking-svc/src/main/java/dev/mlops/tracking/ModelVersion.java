package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/** Version N of a registered model: the bundle one run attempt trained. Unique per (model, run, attempt). */
@Entity
public class ModelVersion extends PanacheEntity {

    public static final String READY = "READY";

    @Column(nullable = false)
    public Long modelId;

    @Column(nullable = false)
    public int version;

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false)
    public int attempt;

    @Column(nullable = false, length = 2048)
    public String artifactUri;

    @Column(nullable = false, length = 16)
    public String status;

    @Column(nullable = false)
    public Instant createdAt;
}
