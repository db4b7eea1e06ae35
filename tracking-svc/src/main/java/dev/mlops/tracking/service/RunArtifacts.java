package dev.mlops.tracking.service;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.repository.ArtifactObjects;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A run's artifacts as MLflow's artifact proxy and artifacts/list serve them, stored where
 * {@link MlflowArtifactPaths} says. The run must exist and the path must name its experiment; uploads and deletes
 * need an active run.
 */
@ApplicationScoped
public class RunArtifacts {

    private final RunService runs;
    private final MlflowArtifactPaths paths;
    private final ArtifactObjects objects;

    public RunArtifacts(RunService runs, MlflowArtifactPaths paths, ArtifactObjects objects) {
        this.runs = runs;
        this.paths = paths;
        this.objects = objects;
    }

    /**
     * Streams {@code content} to the run's artifact {@code path}, replacing what was there.
     *
     * @param length   -1 when unknown (a chunked body)
     * @param maxBytes the limit; a longer body is refused ({@link UploadTooLarge}) and nothing is stored
     */
    public void upload(MlflowArtifactPaths.RunPath path, InputStream content, long length, long maxBytes,
                       String contentType) {
        if (path.relativePath().isEmpty()) {
            throw new InvalidInput("path", "Invalid path '" + path.proxyPath() + "': name a file under the run's "
                    + "artifact root");
        }
        RunService.requireActive(require(path));
        BoundedInput limited = new BoundedInput(content, maxBytes, tooLarge(maxBytes));
        try {
            objects.put(paths.s3(path), limited, length, contentType);
        } catch (RuntimeException e) {
            if (limited.exceeded()) {
                throw new UploadTooLarge(tooLarge(maxBytes));
            }
            throw e;
        }
    }

    /** The run's artifact at {@code path}; empty when there is none. */
    public Optional<ArtifactObjects.Download> download(MlflowArtifactPaths.RunPath path) {
        require(path);
        return path.relativePath().isEmpty() ? Optional.empty() : objects.open(paths.s3(path));
    }

    /** What lies directly under {@code path} (proxy listing: names only), by name. */
    public List<ArtifactObjects.Entry> list(MlflowArtifactPaths.RunPath path) {
        require(path);
        return sorted(objects.list(paths.s3(path)));
    }

    /** A run's artifact root ({@code artifact_uri}) and what lies directly under a path in it. */
    public record RunListing(String rootUri, List<ArtifactObjects.Entry> entries) {
    }

    /** What lies directly under the run-relative {@code relativePath} ("" the root), as artifacts/list takes it. */
    public RunListing list(String runId, String relativePath) {
        Run run = runs.require(runId);
        return new RunListing(MlflowArtifactPaths.artifactUri(run.experimentId, run.id),
                sorted(objects.list(paths.s3(run.id, relativePath))));
    }

    /** Deletes the artifact at {@code path}, or everything under it. */
    public void delete(MlflowArtifactPaths.RunPath path) {
        RunService.requireActive(require(path));
        objects.delete(paths.s3(path));
    }

    /** Why an artifact over {@code maxBytes} was refused. */
    public static String tooLarge(long maxBytes) {
        return "the artifact is larger than this server accepts (" + maxBytes
                + " bytes, mlops.mlflow.max-artifact-bytes); nothing was stored";
    }

    private Run require(MlflowArtifactPaths.RunPath path) {
        Run run = runs.require(path.runId());
        if (run.experimentId != path.experimentId()) {
            throw new InvalidInput("path", "Invalid path '" + path.proxyPath() + "': run " + run.id
                    + " belongs to experiment " + run.experimentId + ", not " + path.experimentId());
        }
        return run;
    }

    private static List<ArtifactObjects.Entry> sorted(List<ArtifactObjects.Entry> entries) {
        return entries.stream().sorted(Comparator.comparing(ArtifactObjects.Entry::name)).toList();
    }
}
