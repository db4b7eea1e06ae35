package dev.mlops.tracking.repository;

import dev.mlops.tracking.RunArtifact;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

@ApplicationScoped
public class RunArtifactRepository implements PanacheRepository<RunArtifact> {

    /** Insert or overwrite the artifact (run, name). Hold the run's lock. */
    public void upsert(String runId, String name, String uri) {
        RunArtifact artifact = find("runId = ?1 and name = ?2", runId, name).firstResult();
        if (artifact == null) {
            artifact = new RunArtifact();
            artifact.runId = runId;
            artifact.name = name;
            artifact.uri = uri;
            persist(artifact);
        } else {
            artifact.uri = uri;
        }
    }

    public List<RunArtifact> forRun(String runId) {
        return list("runId", runId);
    }
}
