package dev.mlops.tracking.service;

import dev.mlops.runtime.config.S3Config;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The mapping between MLflow's artifact paths and the artifact bucket, both ways (the registry relies on it). */
class MlflowArtifactPathsTest {

    private final MlflowArtifactPaths paths = new MlflowArtifactPaths(new S3Config() {
        public String endpoint() { return "http://127.0.0.1:9000"; }
        public String accessKey() { return "k"; }
        public String secretKey() { return "s"; }
        public String bucket() { return "mlops-artifacts"; }
        public String region() { return "us-east-1"; }
    });

    @Test
    void aProxyPathIsTheObjectUnderTheRunsPrefixAndBack() {
        MlflowArtifactPaths.RunPath path = paths.parse("path", "7/abc123/artifacts/model/model.bin");
        assertThat(path).isEqualTo(new MlflowArtifactPaths.RunPath(7, "abc123", "model/model.bin"));
        assertThat(paths.s3(path).toUri()).isEqualTo(URI.create("s3://mlops-artifacts/runs/abc123/model/model.bin"));
        assertThat(path.mlflowUri()).isEqualTo("mlflow-artifacts:/7/abc123/artifacts/model/model.bin");
        assertThat(paths.s3Uri("mlflow-artifacts:/7/abc123/artifacts/model/model.bin"))
                .isEqualTo(URI.create("s3://mlops-artifacts/runs/abc123/model/model.bin"));
        assertThat(paths.mlflowUri(7, URI.create("s3://mlops-artifacts/runs/abc123/model/model.bin")))
                .isEqualTo("mlflow-artifacts:/7/abc123/artifacts/model/model.bin");
        assertThat(MlflowArtifactPaths.artifactUri(7, "abc123")).isEqualTo("mlflow-artifacts:/7/abc123/artifacts");
        assertThat(paths.parse("path", "7/abc123/artifacts").relativePath()).isEmpty();
    }

    @Test
    void onlyArtifactsOfARunInTheBucketHaveAnMlflowUri() {
        for (String uri : new String[]{"s3://other/runs/abc/model.bin", "s3://mlops-artifacts/models/abc/model.bin",
                "s3://mlops-artifacts/runs/abc/../def/model.bin", "s3://mlops-artifacts/runs/abc/", "file:/tmp/x"}) {
            assertThatThrownBy(() -> paths.mlflowUri(7, URI.create(uri))).as(uri).isInstanceOf(InvalidInput.class);
        }
        assertThatThrownBy(() -> paths.s3Uri("s3://mlops-artifacts/runs/abc/x")).isInstanceOf(InvalidInput.class)
                .hasMessageContaining("mlflow-artifacts:");
        assertThatThrownBy(() -> paths.s3Uri("mlflow-artifacts:/7/abc/artifacts/../../8/def/artifacts/x"))
                .isInstanceOf(InvalidInput.class).hasMessageContaining("Invalid path");
    }

    @Test
    void aPercentSignThatEncodesNothingIsKept() {
        assertThat(paths.parse("path", "7/abc/artifacts/100%25.txt").relativePath()).isEqualTo("100%.txt");
        assertThat(paths.parse("path", "7/abc/artifacts/a+b%zz.txt").relativePath()).isEqualTo("a+b%zz.txt");
    }
}
