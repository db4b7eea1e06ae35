package dev.mlops.common.store;

import dev.mlops.common.text.Text;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/** An {@code s3://bucket/key} address; run artifacts live under {@code runs/<runId>/}. */
public record ArtifactUri(String bucket, String key) {

    public static ArtifactUri forRun(String bucket, String runId, String path) {
        return new ArtifactUri(bucket, "runs/" + safeRunId(runId) + "/" + safeRelativePath(path));
    }

    public static ArtifactUri parse(URI uri) {
        if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
        }
        return new ArtifactUri(uri.getHost(), uri.getPath().substring(1));
    }

    /**
     * Why {@code uri} is not an artifact of run {@code runId}, i.e. not under {@code s3://<bucket>/runs/<runId>/}
     * with a plain relative path; empty when it is. Another bucket or run, '..' or '.' segments (also %-encoded),
     * user info, a port, a query or a fragment are all refused.
     */
    public static Optional<String> runArtifactProblem(String bucket, String runId, String uri) {
        String quoted = "'" + Text.quote(uri) + "'";
        Optional<String> runIdProblem = runIdProblem(runId);
        if (runIdProblem.isPresent()) {
            return runIdProblem;
        }
        String runPrefix = "/runs/" + runId + "/";
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            return Optional.of(quoted + " is not a URI: " + e.getReason());
        }
        String path = parsed.getPath();
        if (!"s3".equals(parsed.getScheme()) || !bucket.equals(parsed.getRawAuthority()) || path == null
                || parsed.getRawQuery() != null || parsed.getRawFragment() != null || !path.startsWith(runPrefix)) {
            return Optional.of(quoted + " is not under the run's prefix s3://" + bucket + runPrefix);
        }
        try {
            safeRelativePath(path.substring(runPrefix.length()));
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(quoted + ": " + e.getMessage());
        }
    }

    /** Why {@code runId} cannot name a run's prefix (empty, '.', '..', a slash, a backslash or a control character). */
    public static Optional<String> runIdProblem(String runId) {
        try {
            safeRunId(runId);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** Why {@code path} is not a plain relative artifact path (like {@code model/model.bin}); empty when it is. */
    public static Optional<String> relativePathProblem(String path) {
        try {
            safeRelativePath(path);
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    public URI toUri() {
        return URI.create("s3://" + bucket + "/" + key);
    }

    @Override
    public String toString() {
        return toUri().toString();
    }

    /** A relative path inside a run's prefix: no absolute paths, no '..', no empty segments. */
    static String safeRelativePath(String path) {
        if (path == null || path.isBlank() || path.startsWith("/") || path.contains("\\")) {
            throw new IllegalArgumentException("artifact path must be relative, got '" + Text.quote(path) + "'");
        }
        for (String segment : path.split("/", -1)) {
            safeSegment(segment, "artifact path '" + Text.quote(path) + "'");
        }
        return path;
    }

    /** One segment: a run id with '/' or '\' would put its artifacts under another run's prefix. */
    private static String safeRunId(String runId) {
        safeSegment(runId, "run id");
        if (runId.contains("/") || runId.contains("\\") || Text.hasControlCharacters(runId)) {
            throw new IllegalArgumentException("run id '" + Text.quote(runId)
                    + "' must not contain '/', '\\' or control characters");
        }
        return runId;
    }

    private static String safeSegment(String segment, String what) {
        if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException(what + " must not contain empty, '.' or '..' segments");
        }
        return segment;
    }
}
