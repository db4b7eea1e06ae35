package dev.mlops.common.store;

import java.net.URI;

/** An {@code s3://bucket/key} address; run artifacts live under {@code runs/<runId>/}. */
public record ArtifactUri(String bucket, String key) {

    public static ArtifactUri forRun(String bucket, String runId, String path) {
        return new ArtifactUri(bucket, "runs/" + safeSegment(runId, "run id") + "/" + safeRelativePath(path));
    }

    public static ArtifactUri parse(URI uri) {
        if (!"s3".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null || uri.getPath() == null
                || uri.getPath().length() < 2) {
            throw new IllegalArgumentException("not an s3://bucket/key URI: " + uri);
        }
        return new ArtifactUri(uri.getHost(), uri.getPath().substring(1));
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
            throw new IllegalArgumentException("artifact path must be relative, got '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            safeSegment(segment, "artifact path '" + path + "'");
        }
        return path;
    }

    private static String safeSegment(String segment, String what) {
        if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
            throw new IllegalArgumentException(what + " must not contain empty, '.' or '..' segments");
        }
        return segment;
    }
}
