package dev.mlops.runtime.config;

import dev.mlops.common.store.S3Settings;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code mlops.s3.*}: the artifact store (env: MLOPS_S3_ENDPOINT, MLOPS_S3_ACCESS_KEY, ...). */
@ConfigMapping(prefix = "mlops.s3")
public interface S3Config {

    @WithDefault("http://127.0.0.1:9000")
    String endpoint();

    String accessKey();

    String secretKey();

    @WithDefault(S3Settings.DEFAULT_BUCKET)
    String bucket();

    @WithDefault("us-east-1")
    String region();

    default S3Settings settings() {
        return new S3Settings(endpoint(), accessKey(), secretKey(), bucket(), region());
    }
}
