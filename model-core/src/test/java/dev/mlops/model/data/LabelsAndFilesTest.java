package dev.mlops.model.data;

import dev.mlops.common.data.CsvFormatException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabelsAndFilesTest {

    @Test
    void classLabelsSortLikeScikitLearn() {
        assertThat(Labels.classLabels(List.of("10", "2", "1", "2"))).containsExactly("1", "2", "10");
        assertThat(Labels.classLabels(List.of("yes", "No", "no"))).containsExactly("No", "no", "yes");
        assertThat(Labels.encode(List.of("2", "10", "1"), List.of("1", "2", "10"))).containsExactly(1, 2, 0);
        assertThatThrownBy(() -> Labels.encode(List.of("1", "3"), List.of("1", "2")))
                .hasMessage("label '3' in row 2 is not one of the model's classes [1, 2]");
        assertThat(Labels.extend(List.of("0", "1"), List.of("1", "2", "0"))).containsExactly("0", "1", "2");
    }

    @Test
    void labelColumnRoundTripsAndKeepsItsName() {
        LabelColumn y = new LabelColumn("Survived", List.of("0", "1", "say \"yes\", maybe", "1"));

        byte[] bytes = y.toBytes();

        assertThat(new String(bytes, StandardCharsets.UTF_8)).startsWith("Survived\n0\n1\n\"say \"\"yes\"\", maybe\"\n");
        assertThat(LabelColumn.parse(bytes)).isEqualTo(y);
        assertThat(LabelColumn.parse("Survived\r\n0\r\n1".getBytes(StandardCharsets.UTF_8)).values()).containsExactly("0", "1");
        assertThatThrownBy(() -> LabelColumn.parse("a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("exactly one column");
    }

    @Test
    void featureTableRoundTripsAndChecksItsColumns() {
        double[][] x = {{0.5, -1.25e-7}, {3, 0}};
        List<String> names = List.of("num__Age", "cat__Sex_male");

        double[][] read = FeatureTable.read(dev.mlops.common.data.CsvTable.parse(FeatureTable.toCsv(x, names).toBytes()), names);

        assertThat(read).isDeepEqualTo(x);
        assertThatThrownBy(() -> FeatureTable.read(FeatureTable.toCsv(x, names), List.of("num__Age", "num__Fare")))
                .isInstanceOf(CsvFormatException.class).hasMessageContaining("not the ones the model was trained on");
    }
}
