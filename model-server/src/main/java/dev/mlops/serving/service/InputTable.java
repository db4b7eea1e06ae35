package dev.mlops.serving.service;

import java.util.List;

/**
 * The rows of a scoring request before they meet the model: named columns (records, a split frame, CSV) or
 * positional rows (arrays). A cell is a {@link Number}, {@link String}, {@link Boolean}, {@code null} (JSON null),
 * {@link #ABSENT} (a record without that key) or {@link #NESTED} (a JSON object or array).
 *
 * @param format  how the request said it (dataframe_split, dataframe_records, instances, inputs, csv)
 * @param columns the column names, or null when the rows are plain arrays
 * @param rows    one array per row; a row shorter than {@code columns} lacks the remaining columns
 */
public record InputTable(String format, List<String> columns, List<Object[]> rows) {

    public static final Object ABSENT = new Marker("absent");
    public static final Object NESTED = new Marker("nested");

    public boolean positional() {
        return columns == null;
    }

    public Object cell(int row, int column) {
        Object[] values = rows.get(row);
        return column < values.length ? values[column] : ABSENT;
    }

    private record Marker(String name) {
    }
}
