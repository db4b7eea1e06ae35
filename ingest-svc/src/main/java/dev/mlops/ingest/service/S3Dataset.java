package dev.mlops.ingest.service;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import io.minio.errors.ErrorResponseException;
import io.minio.errors.ServerException;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Set;

/**
 * Reads an s3 dataset with the platform's S3 client. A missing bucket or key or a denied read fails the stage;
 * an S3 server that cannot be reached or answers 5xx / SlowDown is a {@link TransientFailure}.
 */
@ApplicationScoped
public class S3Dataset {

    private static final Set<String> TRANSIENT_CODES = Set.of("InternalError", "ServiceUnavailable", "SlowDown",
            "RequestTimeout");

    private final ArtifactStore store;
    private final DatasetUrlPolicy policy;
    private final SizeLimit limit;

    public S3Dataset(ArtifactStore store, DatasetUrlPolicy policy, IngestConfig config) {
        this.store = store;
        this.policy = policy;
        this.limit = new SizeLimit(config.maxDatasetBytes());
    }

    public byte[] fetch(URI uri) {
        ArtifactUri object = policy.checkS3(uri);
        try (InputStream in = store.open(object.toUri())) {
            return limit.read(in, ArtifactStore.announcedLength(in), uri);
        } catch (IOException e) {
            throw new TransientFailure("could not read dataset " + uri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof StageFailure) {
                throw e;
            }
            throw classify(uri, object, e);
        }
    }

    static RuntimeException classify(URI uri, ArtifactUri object, RuntimeException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof ErrorResponseException error) {
                String code = error.errorResponse().code();
                if (TRANSIENT_CODES.contains(code) || error.response() != null && error.response().code() >= 500) {
                    return new TransientFailure("S3 answered " + code + " reading dataset " + uri, e);
                }
                return new StageFailure(switch (code) {
                    case "NoSuchBucket" -> "dataset " + uri + ": bucket '" + object.bucket() + "' does not exist";
                    case "NoSuchKey" -> "dataset " + uri + " does not exist";
                    default -> "could not read dataset " + uri + ": S3 answered " + code + " "
                            + error.errorResponse().message();
                });
            }
            if (cause instanceof ServerException || cause instanceof IOException) {
                return new TransientFailure("S3 is unavailable reading dataset " + uri + ": " + e.getMessage(), e);
            }
        }
        return new StageFailure("could not read dataset " + uri + ": " + e.getMessage());
    }
}
