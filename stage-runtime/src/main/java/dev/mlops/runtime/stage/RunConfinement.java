package dev.mlops.runtime.stage;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.text.Text;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.Optional;

/**
 * An event may only name artifacts of its own run: every URI under {@code s3://<artifact bucket>/runs/<runId>/}.
 * Anything else is an injected or corrupt event that would make a stage read or overwrite another run's artifacts.
 */
@ApplicationScoped
public class RunConfinement {

    private final ArtifactStore store;

    public RunConfinement(ArtifactStore store) {
        this.store = store;
    }

    /** Why the event reaches outside its run; empty when it does not. */
    public Optional<String> problem(StageEvent event) {
        Optional<String> runId = ArtifactUri.runIdProblem(event.runId());
        if (runId.isPresent()) {
            return runId;
        }
        for (Map.Entry<String, String> artifact : event.artifacts().entrySet()) {
            Optional<String> problem = ArtifactUri.runArtifactProblem(store.bucket(), event.runId(), artifact.getValue());
            if (problem.isPresent()) {
                return Optional.of("artifact '" + Text.quote(artifact.getKey()) + "' of run " + event.runId() + ": "
                        + problem.get());
            }
        }
        return Optional.empty();
    }
}
