package dev.mlops.tracking.service;

import dev.mlops.common.text.Text;
import dev.mlops.runtime.config.S3Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Where a run's artifacts may be: under {@code s3://<artifact bucket>/runs/<runId>/}, nowhere else. A URI with
 * {@code ..} or {@code .} segments, empty segments or backslashes, another bucket or another run's prefix is
 * refused, and so is an artifact name that is not a plain relative path.
 */
@ApplicationScoped
public class ArtifactLocations {

    @Inject
    S3Config s3;

    /** Why {@code uri} may not be recorded for run {@code runId}; empty when it may. */
    public Optional<String> uriProblem(String runId, String uri) {
        String prefix = "s3://" + s3.bucket() + "/runs/" + runId + "/";
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of("'" + Text.quote(uri) + "' is not a URI: " + Text.quote(e.getReason()));
        }
        String path = parsed.getPath();
        if (!"s3".equals(parsed.getScheme()) || !s3.bucket().equals(parsed.getHost()) || path == null
                || parsed.getRawQuery() != null || parsed.getRawFragment() != null
                || !path.startsWith("/runs/" + runId + "/")) {
            return Optional.of("'" + Text.quote(uri) + "' is not under the run's prefix " + Text.quote(prefix));
        }
        return pathProblem(path.substring(("/runs/" + runId + "/").length()))
                .map(problem -> "'" + Text.quote(uri) + "' " + problem);
    }

    /** Why {@code name} is not a plain relative artifact path (like {@code model/model.bin}); empty when it is. */
    public Optional<String> nameProblem(String name) {
        return pathProblem(name).map(problem -> "artifact name '" + Text.quote(name) + "' " + problem);
    }

    private static Optional<String> pathProblem(String path) {
        if (path.isEmpty() || path.startsWith("/") || path.contains("\\")) {
            return Optional.of("must be a relative path without backslashes");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                return Optional.of("must not have empty, '.' or '..' segments");
            }
        }
        return Optional.empty();
    }
}
