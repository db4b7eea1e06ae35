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
}
