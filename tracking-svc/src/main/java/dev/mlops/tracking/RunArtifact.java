package dev.mlops.tracking;

import io.quarkus.hibernate.orm.panache.PanacheEntity;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;

/** Where a run's artifact is stored: run-relative name (e.g. {@code model/model.bin}) -> s3:// URI. */
@Entity
public class RunArtifact extends PanacheEntity {

    @Column(nullable = false, length = 64)
    public String runId;

    @Column(nullable = false, length = 512)
    public String name;

    @Column(nullable = false, length = 2048)
    public String uri;
}
