package dev.mlops.common.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedReadTest {

    private static final byte[] CSV = "a,b\n1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
    private static final int LIMIT = 20;

    @Test
    void anAnnouncedLengthThatIsRightGivesTheWholeContent() throws IOException {
        assertThat(read(CSV, CSV.length)).isEqualTo(CSV);
        assertThat(read(CSV, -1)).as("length unknown").isEqualTo(CSV);
    }

    @Test
    void anAnnouncedLengthIsNotTrusted() throws IOException {
        assertThat(read(CSV, CSV.length + 5)).as("announced longer than the stream").isEqualTo(CSV);
        assertThat(read(CSV, 3)).as("announced shorter: the stream is read on").isEqualTo(CSV);
        assertThat(read(CSV, 0)).as("a file whose size reads 0").isEqualTo(CSV);
    }

    @Test
    void contentOverTheLimitFailsWhateverTheAnnouncedLength() {
        byte[] big = new byte[LIMIT + 1];
        assertThatThrownBy(() -> read(big, LIMIT + 1)).isInstanceOf(BoundedRead.OverLimitException.class)
                .hasMessage("more than 20 bytes");
        assertThatThrownBy(() -> read(big, 5)).as("announced under the limit, longer in fact")
                .isInstanceOf(BoundedRead.OverLimitException.class);
        assertThatThrownBy(() -> read(big, -1)).isInstanceOf(BoundedRead.OverLimitException.class);
    }

    @Test
    void exactlyTheLimitIsRead() throws IOException {
        byte[] twenty = new byte[LIMIT];
        assertThat(read(twenty, LIMIT)).hasSize(LIMIT);
        assertThat(read(twenty, 7)).hasSize(LIMIT);
        assertThat(read(twenty, -1)).hasSize(LIMIT);
    }

    @Test
    void aLimitNoArrayCanHoldIsRefused() {
        assertThatThrownBy(() -> BoundedRead.readAll(new ByteArrayInputStream(CSV), -1, Integer.MAX_VALUE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] read(byte[] content, long announced) throws IOException {
        return BoundedRead.readAll(new ByteArrayInputStream(content), announced, LIMIT);
    }
}
