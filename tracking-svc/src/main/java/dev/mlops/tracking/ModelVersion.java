package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/**
 * Version N of a registered model: the bundle one pipeline run attempt trained (unique per model, run and attempt),
 * or, created through MLflow's API, a source given by the client (no attempt; the run is optional).
 */
@Entity
public class ModelVersion extends PanacheEntity {

    public static final String READY = "READY";
    public static final String STAGE_NONE = "None";

    @Column(nullable = false)
    public Long modelId;

    @Column(nullable = false)
    public int version;

    @Column(length = 64)
    public String runId;

    /** The pipeline run attempt that registered it; null for versions created through MLflow's API. */
    public Integer attempt;

    @Column(nullable = false, length = 2048)
    public String artifactUri;

    @Column(nullable = false, length = 16)
    public String status;

    /** MLflow's stage: None, Staging, Production or Archived. */
    @Column(nullable = false, length = 20)
    public String currentStage = STAGE_NONE;

    @Column(columnDefinition = "text")
    public String description;

    @Column(length = 2048)
    public String runLink;

    @Column(nullable = false)
    public Instant createdAt;

    @Column(nullable = false)
    public Instant lastUpdatedAt;
}
