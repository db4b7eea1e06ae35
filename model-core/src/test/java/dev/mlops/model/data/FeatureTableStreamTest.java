package dev.mlops.model.data;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streamed feature CSV that preprocess writes and train reads: the same file as the in-memory path, both ways. */
class FeatureTableStreamTest {

    static final List<String> NAMES = List.of("num__f0", "num__f1", "cat__Sex_male");

    @Test
    void streamedMatrixRoundTripsBitForBitAndMatchesTheInMemoryCsv() throws IOException {
        Random random = new Random(7);
        double[][] x = new double[5_000][NAMES.size()];
        for (double[] row : x) {
            row[0] = random.nextGaussian();
            row[1] = random.nextDouble() * 1e-12 - 3e15;
            row[2] = random.nextInt(2);
        }
        x[0][0] = -0.0;
        x[1][1] = Double.MIN_VALUE;

        byte[] written = write(x);

        assertThat(written).isEqualTo(FeatureTable.toCsv(x, NAMES).toBytes());
        assertThat(read(written)).isDeepEqualTo(x);
        assertThat(FeatureTable.read(CsvTable.parse(written), NAMES)).isDeepEqualTo(x);
    }

    @Test
    void readsCrlfLineEndsAQuotedHeaderAndNoFinalLineEnd() throws IOException {
        String csv = "\"num__f0\",num__f1,cat__Sex_male\r\n1,2.5,0\r\n\r\n-3e2,4,1";

        assertThat(read(csv.getBytes(StandardCharsets.UTF_8))).isDeepEqualTo(new double[][] {{1, 2.5, 0}, {-300, 4, 1}});
        assertThat(read("num__f0,num__f1,cat__Sex_male\n".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }

    @Test
    void badInputIsAnErrorNamingTheLineNeverTheCell() {
        // a word, a missing value, an infinite number, a 70-character cell, a quoted number, a short and a long row
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1,2,3\n1,secret,3\n"))
                .isInstanceOf(CsvFormatException.class)
                .hasMessage("feature 'num__f1' in row 2 (line 3) is not a number");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1,,3\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1,Infinity,3\n")).hasMessageContaining("line 2");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1," + "9".repeat(70) + ",3\n"))
                .hasMessageContaining("'num__f1' in row 1");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n\"1\",2,3\n")).hasMessageContaining("'num__f0'");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1,2\n"))
                .hasMessage("line 2 has fewer fields than the header's 3");
        assertThatThrownBy(() -> read("num__f0,num__f1,cat__Sex_male\n1,2,3,4\n"))
                .hasMessage("line 2 has more fields than the header's 3");
        assertThatThrownBy(() -> read("num__f0,cat__Sex_male\n1,2\n"))
                .hasMessageContaining("not the ones the model was trained on");
        assertThatThrownBy(() -> read("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> FeatureTable.write(new double[][] {{1, 2}}, NAMES, new ByteArrayOutputStream()))
                .hasMessageContaining("a row has 2 values for 3 feature names");
    }

    private static byte[] write(double[][] x) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FeatureTable.write(x, NAMES, out);
        return out.toByteArray();
    }

    private static double[][] read(byte[] csv) throws IOException {
        return FeatureTable.read(new ByteArrayInputStream(csv), NAMES);
    }

    private static double[][] read(String csv) throws IOException {
        return read(csv.getBytes(StandardCharsets.UTF_8));
    }
}
