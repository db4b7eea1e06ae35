package dev.mlops.model.data;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;

import java.util.List;

/** A one-column label CSV ({@code preprocess/y_train.csv}): the target's name, then one raw label per line. */
public record LabelColumn(String name, List<String> values) {

    public LabelColumn {
        values = List.copyOf(values);
    }

    public byte[] toBytes() {
        return new CsvTable(List.of(name), values.stream().map(List::of).toList()).toBytes();
    }

    public static LabelColumn parse(byte[] content) {
        CsvTable table = CsvTable.parse(content);
        if (table.header().size() != 1) {
            throw new CsvFormatException("a label file has exactly one column, this one has "
                    + table.header().size() + " (" + table.describeColumns() + ")");
        }
        return new LabelColumn(table.header().get(0), table.column(table.header().get(0)));
    }
}
