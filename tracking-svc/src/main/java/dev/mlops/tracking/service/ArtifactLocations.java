package dev.mlops.tracking.service;

import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.config.S3Config;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * Where a run's artifacts may be: under {@code s3://<artifact bucket>/runs/<runId>/}, nowhere else (the same rule
 * every stage applies to the events it consumes, {@link ArtifactUri#runArtifactProblem}).
 */
@ApplicationScoped
public class ArtifactLocations {

    private final S3Config s3;

    public ArtifactLocations(S3Config s3) {
        this.s3 = s3;
    }

    /** Why {@code uri} may not be recorded for run {@code runId}; empty when it may. */
    public Optional<String> uriProblem(String runId, String uri) {
        return ArtifactUri.runArtifactProblem(s3.bucket(), runId, uri);
    }

    /** Why {@code name} is not a plain relative artifact path (like {@code model/model.bin}); empty when it is. */
    public Optional<String> nameProblem(String name) {
        return ArtifactUri.relativePathProblem(name)
                .map(problem -> "artifact name '" + Text.quote(name) + "' is refused: " + problem);
    }
}
