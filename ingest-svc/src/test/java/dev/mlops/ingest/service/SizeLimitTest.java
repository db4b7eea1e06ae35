package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The lengths themselves: pipeline-common's BoundedReadTest. */
class SizeLimitTest {

    private final SizeLimit limit = new SizeLimit(20);

    @Test
    void aDatasetOverTheLimitFailsTheStageNamingTheSetting() {
        assertThatThrownBy(() -> limit.read(new ByteArrayInputStream(new byte[21]), 5, "big.csv"))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("big.csv is larger than the limit of 20 bytes (mlops.ingest.max-dataset-bytes)");
    }

    @Test
    void aDatasetWithinTheLimitIsReadWhole() throws IOException {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        assertThat(limit.read(new ByteArrayInputStream(csv), csv.length, "d.csv")).isEqualTo(csv);
    }

    @Test
    void aLimitNoArrayCanHoldIsRefusedAtStartUp() {
        assertThatThrownBy(() -> new SizeLimit(Integer.MAX_VALUE)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("mlops.ingest.max-dataset-bytes");
    }
}
