package dev.mlops.common.data;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CsvTableTest {

    @Test
    void readsTheShippedDataset() throws Exception {
        CsvTable table = CsvTable.parse(Files.readAllBytes(Path.of("../data/titanic.csv")));
        assertThat(table.header()).containsExactly("Survived", "Pclass", "Name", "Sex", "Age",
                "Siblings/Spouses Aboard", "Parents/Children Aboard", "Fare");
        assertThat(table.rows()).hasSize(887);
        assertThat(table.rows().get(0)).containsExactly("0", "3", "Mr. Owen Harris Braund", "male", "22", "1", "0", "7.25");
    }

    @Test
    void quotedFieldsRoundTrip() {
        CsvTable table = new CsvTable(List.of("name", "note"),
                List.of(List.of("a, b", "said \"hi\""), List.of("line\nbreak", "")));
        assertThat(CsvTable.parse(table.toBytes())).isEqualTo(table);
    }

    @Test
    void aOneColumnFileKeepsItsEmptyValues() {
        CsvTable labels = CsvTable.parse("Survived\r\n0\r\n\r\n1".getBytes(StandardCharsets.UTF_8));
        assertThat(labels.column("Survived")).containsExactly("0", "", "1");
    }

    @Test
    void sayWhatIsWrongWithTextThatIsNotCsv() {
        assertThatThrownBy(() -> CsvTable.parse(new byte[]{(byte) 0x89, 'P', 'N', 'G', 0, 1}))
                .hasMessageContaining("binary");
        assertThatThrownBy(() -> CsvTable.parse("a,b\n1,2,3\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("line 2 has 3 fields, the header has 2");
        assertThatThrownBy(() -> CsvTable.parse("a,b\n\"1,2\n".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("never closed");
        assertThatThrownBy(() -> CsvTable.parse(new byte[0])).hasMessageContaining("empty");
        assertThatThrownBy(() -> CsvTable.parse("a,b\n".getBytes(StandardCharsets.UTF_8)).column("c"))
                .hasMessageContaining("no column 'c'");
    }

    @Test
    void errorsQuoteColumnNamesEscapedAndTruncatedNeverACell() {
        // a header with a newline and an escape sequence in a name, and a secret in a cell
        CsvTable table = CsvTable.parse("\"Age\nforged: line\",x\u001b[31mred,y\nsecret-token-123,1,2\n"
                .getBytes(StandardCharsets.UTF_8));

        assertThatThrownBy(() -> table.column("Survived"))
                .hasMessageContaining("no column 'Survived'")
                .hasMessageContaining("'Age\\nforged: line'")
                .hasMessageContaining("x\\u001b[31mred")
                .hasMessageNotContaining("\n")
                .hasMessageNotContaining("secret-token-123");
        CsvTable wide = CsvTable.parse(("c".repeat(500) + ",d\n1,2\n").getBytes(StandardCharsets.UTF_8));
        assertThat(wide.describeColumns()).hasSizeLessThan(260).contains("(507 chars)");
    }

    @Test
    void parsedCellsReadBackAsTheTextTheyWere() {
        // a BOM, UTF-8 outside ASCII, an empty quoted field, quotes inside an unquoted field, a lone CR line end
        byte[] csv = "\uFEFFname,note,n\r\nZoë,\"\",1\rab\"c,\"x\"\"y\",2\n,,3"
                .getBytes(StandardCharsets.UTF_8);

        CsvTable table = CsvTable.parse(csv);

        assertThat(table.header()).containsExactly("name", "note", "n");
        assertThat(table.rows()).containsExactly(List.of("Zoë", "", "1"), List.of("ab\"c", "x\"y", "2"),
                List.of("", "", "3"));
        assertThat(CsvTable.parse(table.toBytes())).isEqualTo(table);
        assertThatThrownBy(() -> table.rows().get(3)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aFileOverTheCellLimitIsRefusedNamingTheLimit() {
        byte[] twoByThree = "a,b,c\n1,2,3\n4,5,6\n".getBytes(StandardCharsets.UTF_8);

        assertThat(CsvTable.parse(twoByThree, 6).rows()).hasSize(2);
        assertThatThrownBy(() -> CsvTable.parse(twoByThree, 5))
                .isInstanceOf(CsvTooLargeException.class)
                .hasMessageContaining("more than 5 cells");
    }
}
