package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

import java.time.Instant;

/**
 * A status event consumed before its run was recorded, kept (as consumed) until the run is: see
 * {@code V12__held_stage_status.sql}.
 */
@Entity
public class HeldStageStatus extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false, columnDefinition = "text")
    public String event;

    @Column(nullable = false)
    public Instant receivedAt;
}
