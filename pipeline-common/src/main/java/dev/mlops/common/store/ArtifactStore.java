package dev.mlops.common.store;

import dev.mlops.common.io.BoundedRead;
import dev.mlops.common.spec.WorkLimits;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.StatObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.Item;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Run artifacts in an S3-compatible store, under {@code s3://<bucket>/runs/<runId>/<path>}.
 * Writes are keyed by run and path, so re-running a stage overwrites rather than duplicates. No artifact may be
 * larger than {@code maxArtifactBytes} ({@code mlops.limits.max-artifact-bytes}).
 */
public class ArtifactStore implements AutoCloseable {

    private final MinioClient client;
    private final String bucket;
    private final long maxArtifactBytes;

    /** A store whose artifacts may be as large as {@link WorkLimits#DEFAULTS} allows. */
    public ArtifactStore(S3Settings settings) {
        this(settings, WorkLimits.DEFAULTS.maxArtifactBytes());
    }

    public ArtifactStore(S3Settings settings, long maxArtifactBytes) {
        this.bucket = settings.bucket();
        this.maxArtifactBytes = maxArtifactBytes;
        this.client = MinioClient.builder()
                .endpoint(settings.endpoint())
                .credentials(settings.accessKey(), settings.secretKey())
                .region(settings.region())
                .build();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket if it does not exist yet. */
    public void ensureBucket() {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
            }
            return null;
        }, "create bucket " + bucket);
    }

    /**
     * Stores {@code content} as run artifact {@code path} (e.g. {@code raw/data.csv}) and returns its s3 URI.
     *
     * @throws ArtifactStoreException when the content is over the artifact size limit (a permanent failure)
     */
    public URI put(String runId, String path, byte[] content, String contentType) {
        ArtifactUri uri = ArtifactUri.forRun(bucket, runId, path);
        if (content.length > maxArtifactBytes) {
            throw new ArtifactStoreException("artifact " + uri + " is " + content.length + " bytes, over the limit of "
                    + maxArtifactBytes + " bytes per artifact (mlops.limits.max-artifact-bytes)");
        }
        call(() -> client.putObject(PutObjectArgs.builder()
                .bucket(uri.bucket()).object(uri.key())
                .stream(new ByteArrayInputStream(content), (long) content.length, -1L)
                .contentType(contentType)
                .build()), "store " + uri);
        return uri.toUri();
    }

    /**
     * Stores the file {@code content} as run artifact {@code path}, streamed: an artifact larger than the heap can
     * be written this way (a million preprocessed rows).
     *
     * @throws ArtifactStoreException when the file is over the artifact size limit (a permanent failure)
     */
    public URI put(String runId, String path, Path content, String contentType) {
        ArtifactUri uri = ArtifactUri.forRun(bucket, runId, path);
        long size;
        try {
            size = Files.size(content);
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + content + " to store it as " + uri + ": " + e, e);
        }
        if (size > maxArtifactBytes) {
            throw new ArtifactStoreException("artifact " + uri + " is " + size + " bytes, over the limit of "
                    + maxArtifactBytes + " bytes per artifact (mlops.limits.max-artifact-bytes)");
        }
        call(() -> {
            try (InputStream in = Files.newInputStream(content)) {
                return client.putObject(PutObjectArgs.builder()
                        .bucket(uri.bucket()).object(uri.key())
                        .stream(in, size, -1L)
                        .contentType(contentType)
                        .build());
            }
        }, "store " + uri);
        return uri.toUri();
    }

    /** Opens any object by its {@code s3://bucket/key} URI; the caller closes the stream. */
    public InputStream open(URI s3Uri) {
        ArtifactUri uri = ArtifactUri.parse(s3Uri);
        return call(() -> client.getObject(GetObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build()),
                "read " + uri);
    }

    /**
     * The whole object, read into one array of the length S3 announces (a 184 MB dataset is in the heap once, not
     * twice).
     *
     * @throws ArtifactStoreException when it is over the artifact size limit (a permanent failure)
     */
    public byte[] read(URI s3Uri) {
        try (InputStream in = open(s3Uri)) {
            return BoundedRead.readAll(in, announcedLength(in), Math.min(maxArtifactBytes, BoundedRead.MAX_ARRAY_BYTES));
        } catch (BoundedRead.OverLimitException e) {
            throw new ArtifactStoreException("artifact " + s3Uri + " is over the limit of " + maxArtifactBytes
                    + " bytes per artifact (mlops.limits.max-artifact-bytes)");
        } catch (IOException e) {
            throw new ArtifactStoreException("could not read " + s3Uri + ": " + e.getMessage(), e);
        }
    }

    /** The length S3 announced for a stream {@link #open} returned; -1 when it did not. */
    public static long announcedLength(InputStream in) {
        String length = in instanceof GetObjectResponse response ? response.headers().get("Content-Length") : null;
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public boolean exists(URI s3Uri) {
        ArtifactUri uri = ArtifactUri.parse(s3Uri);
        try {
            client.statObject(StatObjectArgs.builder().bucket(uri.bucket()).object(uri.key()).build());
            return true;
        } catch (ErrorResponseException e) {
            if ("NoSuchKey".equals(e.errorResponse().code()) || "NoSuchBucket".equals(e.errorResponse().code())) {
                return false;
            }
            throw new ArtifactStoreException("could not stat " + uri + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ArtifactStoreException("could not stat " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The run's artifact paths (relative to the run, as {@link #put} takes them) that start with {@code prefix}. */
    public List<String> list(String runId, String prefix) {
        String anyPath = ArtifactUri.forRun(bucket, runId, "_").key(); // checks the run id
        String runKey = anyPath.substring(0, anyPath.length() - 1);
        return call(() -> {
            List<String> paths = new ArrayList<>();
            for (Result<Item> item : client.listObjects(ListObjectsArgs.builder().bucket(bucket)
                    .prefix(runKey + prefix).recursive(true).build())) {
                paths.add(item.get().objectName().substring(runKey.length()));
            }
            return paths;
        }, "list " + runKey + prefix);
    }

    @Override
    public void close() {
        try {
            client.close();
        } catch (Exception e) {
            // closing only releases connection pools; nothing is lost
        }
    }

    private <T> T call(S3Call<T> call, String what) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new ArtifactStoreException("could not " + what + ": " + e.errorResponse().code()
                    + " " + e.errorResponse().message(), e);
        } catch (Exception e) {
            throw new ArtifactStoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
