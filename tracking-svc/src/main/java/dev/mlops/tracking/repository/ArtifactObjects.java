package dev.mlops.tracking.repository;

import dev.mlops.common.store.ArtifactStoreException;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.runtime.config.S3Config;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.MinioClient;
import io.minio.PutObjectArgs;
import io.minio.RemoveObjectsArgs;
import io.minio.Result;
import io.minio.errors.ErrorResponseException;
import io.minio.messages.DeleteRequest;
import io.minio.messages.DeleteResult;
import io.minio.messages.Item;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The artifact bucket as the MLflow artifact proxy uses it: objects streamed in and out (never whole in memory),
 * listed one level deep, deleted by prefix. (pipeline-common's ArtifactStore stores byte arrays only.)
 */
@ApplicationScoped
public class ArtifactObjects {

    /** Parts of an upload of unknown length (chunked): memory per upload stays at one part. */
    static final long PART_BYTES = 16L * 1024 * 1024;
    private static final int DELETE_BATCH = 1000;

    private final MinioClient client;

    public ArtifactObjects(S3Config s3) {
        this.client = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region())
                .build();
    }

    /** An entry of a listing: a file with its size, or a directory (size null). */
    public record Entry(String name, boolean directory, Long size) {
    }

    /** An object being read; the caller closes it. */
    public record Download(InputStream content, Long length) {
    }

    /**
     * Stores {@code content} at {@code uri}, streamed: one PUT when the length is known, else multipart in
     * {@link #PART_BYTES} parts. When the stream fails the object is not created (the multipart upload is aborted).
     *
     * @param length -1 when unknown
     */
    public void put(ArtifactUri uri, InputStream content, long length, String contentType) {
        call("store " + uri, () -> client.putObject(PutObjectArgs.builder()
                .bucket(uri.bucket()).object(uri.key())
                .stream(content, length, length < 0 ? PART_BYTES : -1L)
                .contentType(contentType)
                .build()));
    }

    /** The object, or empty when there is none at {@code uri}. */
    public Optional<Download> open(ArtifactUri uri) {
        try {
            GetObjectResponse response = client.getObject(GetObjectArgs.builder()
                    .bucket(uri.bucket()).object(uri.key()).build());
            String length = response.headers().get("Content-Length");
            return Optional.of(new Download(response, length == null ? null : Long.parseLong(length)));
        } catch (ErrorResponseException e) {
            if (missing(e)) {
                return Optional.empty();
            }
            throw new ArtifactStoreException("could not read " + uri + ": " + e.getMessage(), e);
        } catch (Exception e) {
            throw new ArtifactStoreException("could not read " + uri + ": " + e.getMessage(), e);
        }
    }

    /** What lies directly under the prefix {@code dir/} (files and directories), by name. */
    public List<Entry> list(ArtifactUri dir) {
        String prefix = dir.key() + "/";
        List<Entry> entries = new ArrayList<>();
        for (Item item : items(dir.bucket(), prefix, false)) {
            String name = item.objectName().substring(prefix.length());
            if (item.isDir()) {
                entries.add(new Entry(name.replaceAll("/$", ""), true, null));
            } else if (!name.isEmpty()) {
                entries.add(new Entry(name, false, item.size()));
            }
        }
        return entries;
    }

    /** Deletes the object {@code uri} and every object under {@code uri/}; how many were deleted. */
    public int delete(ArtifactUri uri) {
        List<String> keys = new ArrayList<>();
        for (Item item : items(uri.bucket(), uri.key() + "/", true)) {
            keys.add(item.objectName());
        }
        for (Item item : items(uri.bucket(), uri.key(), false)) {
            if (item.objectName().equals(uri.key())) {
                keys.add(item.objectName());
            }
        }
        for (int from = 0; from < keys.size(); from += DELETE_BATCH) {
            List<DeleteRequest.Object> batch = keys.subList(from, Math.min(keys.size(), from + DELETE_BATCH))
                    .stream().map(DeleteRequest.Object::new).toList();
            for (Result<DeleteResult.Error> result : client.removeObjects(RemoveObjectsArgs.builder()
                    .bucket(uri.bucket()).objects(batch).build())) {
                DeleteResult.Error error = call("delete under " + uri, result::get);
                throw new ArtifactStoreException("could not delete " + error.objectName() + ": " + error.message());
            }
        }
        return keys.size();
    }

    @PreDestroy
    void close() {
        try {
            client.close();
        } catch (Exception e) {
            // closing only releases connection pools; nothing is lost
        }
    }

    private List<Item> items(String bucket, String prefix, boolean recursive) {
        List<Item> items = new ArrayList<>();
        for (Result<Item> result : client.listObjects(ListObjectsArgs.builder()
                .bucket(bucket).prefix(prefix).recursive(recursive).build())) {
            items.add(call("list s3://" + bucket + "/" + prefix, result::get));
        }
        return items;
    }

    private static boolean missing(ErrorResponseException e) {
        return "NoSuchKey".equals(e.errorResponse().code()) || "NoSuchBucket".equals(e.errorResponse().code());
    }

    private static <T> T call(String what, S3Call<T> call) {
        try {
            return call.run();
        } catch (ErrorResponseException e) {
            throw new ArtifactStoreException("could not " + what + ": " + e.errorResponse().code() + " "
                    + e.errorResponse().message(), e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new ArtifactStoreException("could not " + what + ": " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
