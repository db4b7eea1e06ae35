package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SizeLimitTest {

    private static final byte[] CSV = "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
    private final SizeLimit limit = new SizeLimit(20);

    @Test
    void anAnnouncedLengthThatIsRightGivesTheWholeContent() throws IOException {
        assertThat(limit.read(stream(CSV), CSV.length, "d.csv")).isEqualTo(CSV);
        assertThat(limit.read(stream(CSV), -1, "d.csv")).as("length unknown").isEqualTo(CSV);
    }

    @Test
    void anAnnouncedLengthIsNotTrusted() throws IOException {
        assertThat(limit.read(stream(CSV), CSV.length + 5, "d.csv")).as("announced longer than the stream")
                .isEqualTo(CSV);
        assertThat(limit.read(stream(CSV), 3, "d.csv")).as("announced shorter: the stream is read on").isEqualTo(CSV);
        assertThat(limit.read(stream(CSV), 0, "d.csv")).as("a file whose size reads 0").isEqualTo(CSV);
    }

    @Test
    void contentOverTheLimitFailsNamingTheSettingWhateverTheAnnouncedLength() {
        byte[] big = new byte[21];
        assertThatThrownBy(() -> limit.read(stream(big), 21, "big.csv")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("big.csv is larger than the limit of 20 bytes (mlops.ingest.max-dataset-bytes)");
        assertThatThrownBy(() -> limit.read(stream(big), 5, "big.csv")).as("announced under the limit, longer in fact")
                .isInstanceOf(StageFailure.class).hasMessageContaining("larger than the limit of 20 bytes");
        assertThatThrownBy(() -> limit.read(stream(big), -1, "big.csv")).isInstanceOf(StageFailure.class);
    }

    @Test
    void exactlyTheLimitIsRead() throws IOException {
        byte[] twenty = new byte[20];
        assertThat(limit.read(stream(twenty), 20, "d.csv")).hasSize(20);
        assertThat(limit.read(stream(twenty), 7, "d.csv")).hasSize(20);
        assertThat(limit.read(stream(twenty), -1, "d.csv")).hasSize(20);
    }

    private static ByteArrayInputStream stream(byte[] bytes) {
        return new ByteArrayInputStream(bytes);
    }
}
