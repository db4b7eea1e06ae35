package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;

import java.time.Instant;

/** One pipeline run. Its id is the Kafka key of every event of the run. */
@Entity
public class Run extends PanacheEntityBase {

    public static final int MAX_ID_LENGTH = 64;

    @Id
    @Column(length = MAX_ID_LENGTH)
    public String id;

    @Column(nullable = false)
    public Long experimentId;

    @Column(nullable = false, length = 250)
    public String name;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public RunStatus status;

    /** The complete (defaults-filled) pipeline spec as JSON; null for a run created through the MLflow API. */
    @Column(columnDefinition = "text")
    public String spec;

    @Column(columnDefinition = "text")
    public String error;

    @Column(length = 2048)
    public String servingUrl;

    @Column(nullable = false)
    public Instant createdAt;

    public Instant finishedAt;

    @Column(nullable = false, length = 16)
    public String lifecycleStage = LifecycleStage.ACTIVE;

    @Column(length = 256)
    public String userId;

    /** The newest attempt when the run was stopped: KILLED until a retry starts a newer one; null if never stopped. */
    public Integer stoppedAttempt;

    /** Who stopped it ("the API", "schedule 'nightly' (concurrencyPolicy Replace)"). */
    @Column(columnDefinition = "text")
    public String stoppedBy;
}
