package dev.mlops.model;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.Labels;
import dev.mlops.model.preprocess.Preprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The shipped Titanic CSV and the published workflow's feature lists, for tests. */
public final class TitanicData {

    public static final PipelineSpec.Features FEATURES = PipelineSpec.defaults("file:/unused").features();

    private TitanicData() {
    }

    public static CsvTable raw() {
        Path path = Path.of("..", "data", "titanic.csv");
        try {
            return CsvTable.parse(Files.readAllBytes(path));
        } catch (IOException e) {
            throw new UncheckedIOException("the tests read the shipped " + path.toAbsolutePath(), e);
        }
    }

    /** Every row's features as the published workflow preprocesses them (fitted on all rows), and its class index. */
    public record Encoded(double[][] x, int[] y) {
    }

    public static Encoded encoded() {
        CsvTable raw = raw();
        return new Encoded(Preprocessor.fit(raw, FEATURES).transform(raw),
                Labels.encode(raw.column("Survived"), Labels.classLabels(raw.column("Survived"))));
    }

    public static CsvTable rows(CsvTable table, int[] indexes) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indexes) {
            rows.add(table.rows().get(i));
        }
        return new CsvTable(table.header(), rows);
    }

    /** A copy of {@code table} with {@code column} set to {@code value} in data row {@code row} (0-based). */
    public static CsvTable withValue(CsvTable table, int row, String column, String value) {
        List<List<String>> rows = new ArrayList<>(table.rows());
        List<String> changed = new ArrayList<>(rows.get(row));
        changed.set(table.columnIndex(column), value);
        rows.set(row, changed);
        return new CsvTable(table.header(), rows);
    }

    public static CsvTable withColumnEmptied(CsvTable table, String column) {
        int index = table.columnIndex(column);
        List<List<String>> rows = table.rows().stream().map(r -> {
            List<String> copy = new ArrayList<>(r);
            copy.set(index, "");
            return (List<String>) copy;
        }).toList();
        return new CsvTable(table.header(), rows);
    }
}
