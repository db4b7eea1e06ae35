package dev.mlops.common.store;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArtifactUriTest {

    @Test
    void runArtifactsLiveUnderTheRunsPrefix() {
        ArtifactUri uri = ArtifactUri.forRun("mlops-artifacts", "run-1", "preprocess/X_train.csv");
        assertThat(uri.toString()).isEqualTo("s3://mlops-artifacts/runs/run-1/preprocess/X_train.csv");
        assertThat(ArtifactUri.parse(uri.toUri())).isEqualTo(uri);
    }

    @Test
    void pathsCannotEscapeTheRunsPrefix() {
        for (String path : new String[]{"../other-run/raw/data.csv", "/etc/passwd", "raw/../../x", "raw//x", "a\\b", ""}) {
            assertThatThrownBy(() -> ArtifactUri.forRun("b", "run-1", path)).as(path)
                    .isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ArtifactUri.forRun("b", "..", "raw/data.csv")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ArtifactUri.parse(URI.create("http://host/key"))).hasMessageContaining("not an s3://");
    }

    @Test
    void runIdsCannotReachIntoAnotherRunsPrefix() {
        for (String runId : new String[]{"victim/evaluate", "x\\..\\victim", "run\u0000", "..", ""}) {
            assertThatThrownBy(() -> ArtifactUri.forRun("b", runId, "evaluate/metrics.json")).as(runId)
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(ArtifactUri.runIdProblem(runId)).as(runId).isPresent();
        }
    }

    @Test
    void anArtifactOfTheRunItselfIsAccepted() {
        assertThat(ArtifactUri.runArtifactProblem("mlops-artifacts", "run-1",
                "s3://mlops-artifacts/runs/run-1/model/model.bin")).isEmpty();
        assertThat(ArtifactUri.runIdProblem("3f2c5a4e-0b1d-4c5e-9f6a-7b8c9d0e1f2a")).isEmpty();
    }

    @Test
    void artifactsOfAnotherRunBucketOrPathAreRefusedNamingTheRunsPrefix() {
        // what an injected train.completed event carried: another run's model, or a way out of its own prefix
        for (String uri : new String[]{
                "s3://mlops-artifacts/runs/victim/model/model.bin",
                "s3://other-bucket/runs/run-1/model/model.bin",
                "s3://mlops-artifacts/runs/run-1/../victim/model/model.bin",
                "s3://mlops-artifacts/runs/run-1/%2e%2e/victim/model/model.bin",
                "s3://mlops-artifacts/runs/run-1-other/model.bin",
                "s3://user@mlops-artifacts/runs/run-1/model.bin",
                "s3://mlops-artifacts:9000/runs/run-1/model.bin",
                "s3://mlops-artifacts/runs/run-1/model.bin?versionId=1",
                "http://mlops-artifacts/runs/run-1/model.bin",
                "file:/etc/passwd",
                "not a uri"}) {
            assertThat(ArtifactUri.runArtifactProblem("mlops-artifacts", "run-1", uri)).as(uri).isPresent();
        }
        assertThat(ArtifactUri.runArtifactProblem("mlops-artifacts", "run-1",
                "s3://mlops-artifacts/runs/victim/evaluate/metrics.json")).contains(
                "'s3://mlops-artifacts/runs/victim/evaluate/metrics.json' is not under the run's prefix"
                        + " s3://mlops-artifacts/runs/run-1/");
    }
}
