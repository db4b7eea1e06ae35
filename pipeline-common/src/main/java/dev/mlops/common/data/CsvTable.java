package dev.mlops.common.data;

import dev.mlops.common.text.Text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A CSV file as a header and rows of strings: RFC 4180 quoting, CRLF or LF line ends, no trailing newline needed.
 * Small on purpose: the platform's datasets fit in memory, and every stage reads and writes through this.
 * Error messages never quote a cell or a raw line of the file, only column names, escaped and truncated
 * ({@link #describeColumns()}): the file may be anything a user pointed the platform at.
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

    public CsvTable {
        header = List.copyOf(header);
        rows = Collections.unmodifiableList(rows);
    }

    /** Parses CSV text; throws {@link CsvFormatException} saying where the text is not CSV. */
    public static CsvTable parse(byte[] content) {
        return parse(content, Long.MAX_VALUE);
    }

    /**
     * Parses CSV text of at most {@code maxCells} data cells (rows × columns); stops reading at the first row past
     * it with a {@link CsvTooLargeException}, so an oversized file is never held as cells in memory.
     */
    public static CsvTable parse(byte[] content, long maxCells) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.indexOf('\0') >= 0) {
            throw new CsvFormatException("the file is binary, not CSV text");
        }
        Builder table = new Builder(maxCells);
        parseRecords(text, table);
        return table.build();
    }

    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /** The values of one column, or an error naming the missing column. */
    public List<String> column(String name) {
        int index = columnIndex(name);
        if (index < 0) {
            throw new CsvFormatException("no column " + Text.quote("'" + name + "'") + " (" + describeColumns() + ")");
        }
        return rows.stream().map(r -> r.get(index)).toList();
    }

    /** "columns: 'a', 'b'", escaped and truncated: the most of a file an error message may show. */
    public String describeColumns() {
        return "columns: " + Text.quote(header.stream().map(name -> "'" + name + "'")
                .collect(Collectors.joining(", ")));
    }

    public byte[] toBytes() {
        StringBuilder out = new StringBuilder();
        appendRecord(out, header);
        for (List<String> row : rows) {
            appendRecord(out, row);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendRecord(StringBuilder out, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            String field = fields.get(i) == null ? "" : fields.get(i);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                out.append('"').append(field.replace("\"", "\"\"")).append('"');
            } else {
                out.append(field);
            }
        }
        out.append('\n');
    }

    /** Takes the records one by one: the first is the header, each other one a row checked against it. */
    private static final class Builder {
        private final long maxCells;
        private List<String> header;
        private final List<List<String>> rows = new ArrayList<>();
        private long cells;
        private int records;

        Builder(long maxCells) {
            this.maxCells = maxCells;
        }

        void add(List<String> record) {
            records++;
            if (header == null) {
                if (record.stream().allMatch(String::isBlank)) {
                    throw emptyFile();
                }
                header = record.stream().map(String::trim).toList();
                return;
            }
            if (header.size() > 1 && record.size() == 1 && record.get(0).isBlank()) {
                return; // a blank line; in a one-column file it is an empty value
            }
            if (record.size() != header.size()) {
                throw new CsvFormatException("line " + records + " has " + record.size() + " fields, the header has "
                        + header.size());
            }
            cells += record.size();
            if (cells > maxCells) {
                throw new CsvTooLargeException(maxCells, header.size());
            }
            rows.add(record);
        }

        CsvTable build() {
            if (header == null) {
                throw emptyFile();
            }
            return new CsvTable(header, rows);
        }

        private static CsvFormatException emptyFile() {
            return new CsvFormatException("the file is empty: expected a header line");
        }
    }

    private static void parseRecords(String text, Builder table) {
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int line = 1;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n') {
                        line++;
                    }
                    field.append(c);
                }
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                record.add(field.toString());
                field.setLength(0);
                table.add(record);
                record = new ArrayList<>();
                line++;
            } else {
                field.append(c);
            }
        }
        if (quoted) {
            throw new CsvFormatException("a quoted field opened before line " + line + " is never closed");
        }
        if (!field.isEmpty() || !record.isEmpty()) {
            record.add(field.toString());
            table.add(record);
        }
    }
}
