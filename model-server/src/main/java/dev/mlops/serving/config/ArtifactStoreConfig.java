package dev.mlops.serving.config;

import dev.mlops.common.store.S3Settings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * {@code mlops.s3.*}, the same keys as service-runtime's S3Config but optional: a server that serves a bundle
 * from a folder (the usual case inside an image) needs no artifact store at all.
 */
@ConfigMapping(prefix = "mlops.s3")
public interface ArtifactStoreConfig {

    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    Optional<String> accessKey();

    Optional<String> secretKey();

    @WithDefault(S3Settings.DEFAULT_BUCKET)
    String bucket();

    @WithDefault("us-east-1")
    String region();

    /** The settings, or an error saying which keys a model in S3 needs. */
    default S3Settings settings() {
        if (accessKey().isEmpty() || secretKey().isEmpty()) {
            throw new IllegalStateException("reading a model from S3 needs mlops.s3.access-key and mlops.s3.secret-key"
                    + " (env MLOPS_S3_ACCESS_KEY, MLOPS_S3_SECRET_KEY) and mlops.s3.endpoint (now " + endpoint() + ")");
        }
        return new S3Settings(endpoint(), accessKey().get(), secretKey().get(), bucket(), region());
    }
}
