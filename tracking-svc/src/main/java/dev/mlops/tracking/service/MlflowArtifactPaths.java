package dev.mlops.tracking.service;

import dev.mlops.common.store.ArtifactUri;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.config.S3Config;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where MLflow's artifact paths are stored, both ways. A run answers {@code artifact_uri =
 * mlflow-artifacts:/<experimentId>/<runId>/artifacts}; the proxy path {@code <experimentId>/<runId>/artifacts/<rel>}
 * is the object {@code s3://<artifact bucket>/runs/<runId>/<rel>}, the prefix the pipeline's stages write a run's
 * artifacts to, so they are the run's MLflow artifacts with no copy.
 */
@ApplicationScoped
public class MlflowArtifactPaths {

    public static final String SCHEME = "mlflow-artifacts:";
    private static final String ROOT = "artifacts";
    private static final Pattern PROXY_PATH = Pattern.compile("([^/]+)/([^/]+)/" + ROOT + "(?:/(.*))?");
    /** MLflow decodes a path until it stops changing, at most this many times (validate_path_is_safe). */
    private static final int MAX_DECODINGS = 10;

    private final String bucket;

    public MlflowArtifactPaths(S3Config s3) {
        this.bucket = s3.bucket();
    }

    /**
     * A place inside a run's artifacts.
     *
     * @param relativePath "" for the run's artifact root
     */
    public record RunPath(long experimentId, String runId, String relativePath) {

        /** {@code <experimentId>/<runId>/artifacts[/<rel>]}, the path the proxy serves it under. */
        public String proxyPath() {
            String root = experimentId + "/" + runId + "/" + ROOT;
            return relativePath.isEmpty() ? root : root + "/" + relativePath;
        }

        /** {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts[/<rel>]}. */
        public String mlflowUri() {
            return SCHEME + "/" + proxyPath();
        }
    }

    /** A run's {@code artifact_uri}. */
    public static String artifactUri(long experimentId, String runId) {
        return new RunPath(experimentId, runId, "").mlflowUri();
    }

    /**
     * The run path a proxy path names, checked as MLflow's {@code validate_path_is_safe} does (decoded until it
     * stops changing; no '#', no backslash, no absolute path, no '..') and further: no empty or '.' segments, a
     * numeric experiment id, a run id that is one segment.
     *
     * @throws InvalidInput naming {@code field} when the path is not safe or not under a run's artifacts
     */
    public RunPath parse(String field, String path) {
        String decoded = path == null || path.isEmpty() ? "" : safePath(field, path);
        Matcher matcher = PROXY_PATH.matcher(decoded);
        if (!matcher.matches() || !matcher.group(1).chars().allMatch(Character::isDigit)
                || matcher.group(1).length() > 18) {
            throw new InvalidInput(field, "Invalid path '" + Text.quote(decoded) + "': artifacts are served under "
                    + "<experiment_id>/<run_id>/" + ROOT + "/<path>");
        }
        String relative = matcher.group(3) == null ? "" : matcher.group(3);
        return new RunPath(Long.parseLong(matcher.group(1)), matcher.group(2), relative);
    }

    /** A run-relative path ("" or null: the root) as MLflow's artifacts/list takes it, checked like a proxy path. */
    public String relativePath(String field, String path) {
        return path == null || path.isEmpty() ? "" : safePath(field, path);
    }

    /** The S3 object (or, for a directory, the key prefix without its trailing '/') of a run path. */
    public ArtifactUri s3(RunPath path) {
        return s3(path.runId(), path.relativePath());
    }

    public ArtifactUri s3(String runId, String relativePath) {
        ArtifactUri.runIdProblem(runId).ifPresent(problem -> {
            throw new InvalidInput("path", "Invalid path: " + problem);
        });
        String root = "runs/" + runId;
        return new ArtifactUri(bucket, relativePath.isEmpty() ? root : root + "/" + relativePath);
    }

    /** {@code s3://<bucket>/runs/<runId>/<rel>} of {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts/<rel>}. */
    public URI s3Uri(String mlflowArtifactsUri) {
        if (mlflowArtifactsUri == null || !mlflowArtifactsUri.startsWith(SCHEME + "/")) {
            throw new InvalidInput("source", "'" + Text.quote(mlflowArtifactsUri) + "' is not an " + SCHEME + " URI");
        }
        return s3(parse("source", mlflowArtifactsUri.substring(SCHEME.length() + 1))).toUri();
    }

    /**
     * {@code mlflow-artifacts:/<experimentId>/<runId>/artifacts/<rel>} of {@code s3://<bucket>/runs/<runId>/<rel>};
     * {@code experimentId} is the run's.
     *
     * @throws InvalidInput when {@code s3Uri} is not an artifact of a run in the artifact bucket
     */
    public String mlflowUri(long experimentId, URI s3Uri) {
        String uri = String.valueOf(s3Uri);
        Matcher matcher = Pattern.compile("s3://" + Pattern.quote(bucket) + "/runs/([^/]+)/(.+)").matcher(uri);
        if (!matcher.matches()) {
            throw new InvalidInput("source", "'" + Text.quote(uri) + "' is not under s3://" + bucket + "/runs/<run_id>/");
        }
        String runId = matcher.group(1);
        ArtifactUri.runArtifactProblem(bucket, runId, uri).ifPresent(problem -> {
            throw new InvalidInput("source", problem);
        });
        return new RunPath(experimentId, runId, matcher.group(2)).mlflowUri();
    }

    /** The path decoded as MLflow decodes it, refused unless it is a plain relative path. */
    private static String safePath(String field, String path) {
        String decoded = decode(field, path);
        if (decoded.contains("#") || decoded.contains("\\") || decoded.matches("^[A-Za-z]:.*")) {
            throw invalid(field, decoded, "'#', '\\' and drive letters are not allowed");
        }
        ArtifactUri.relativePathProblem(decoded).ifPresent(problem -> {
            throw invalid(field, decoded, problem);
        });
        if (Text.hasControlCharacters(decoded)) {
            throw invalid(field, decoded, Text.controlCharacterProblem(decoded));
        }
        return decoded;
    }

    private static InvalidInput invalid(String field, String path, String problem) {
        return new InvalidInput(field, "Invalid path '" + Text.quote(path) + "': " + problem);
    }

    private static String decode(String field, String path) {
        String current = path;
        for (int i = 0; i < MAX_DECODINGS; i++) {
            String decoded = percentDecode(current);
            if (decoded.equals(current)) {
                return current;
            }
            current = decoded;
        }
        throw new InvalidInput(field, "Invalid path '" + Text.quote(path) + "': still encoded after "
                + MAX_DECODINGS + " decodings");
    }

    /** Like Python's urllib.parse.unquote: %XX escapes as UTF-8, invalid escapes and '+' kept as they are. */
    private static String percentDecode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < raw.length; i++) {
            int high = i + 2 < raw.length && raw[i] == '%' ? Character.digit(raw[i + 1], 16) : -1;
            int low = high < 0 ? -1 : Character.digit(raw[i + 2], 16);
            if (low >= 0) {
                bytes.write(high * 16 + low);
                i += 2;
            } else {
                bytes.write(raw[i]);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
