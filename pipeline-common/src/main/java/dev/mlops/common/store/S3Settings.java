package dev.mlops.common.store;

/** Where the artifact store is: an S3-compatible endpoint (MinIO, s3proxy) and the bucket runs live in. */
public record S3Settings(String endpoint, String accessKey, String secretKey, String bucket, String region) {

    public static final String DEFAULT_BUCKET = "mlops-artifacts";

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", bucket=" + bucket + ", region=" + region + "]";
    }
}
