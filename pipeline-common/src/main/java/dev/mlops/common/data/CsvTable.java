package dev.mlops.common.data;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A CSV file as a header and rows of strings: RFC 4180 quoting, CRLF or LF line ends, no trailing newline needed.
 * Small on purpose: the platform's datasets fit in memory, and every stage reads and writes through this.
 */
public record CsvTable(List<String> header, List<List<String>> rows) {

    public CsvTable {
        header = List.copyOf(header);
        rows = Collections.unmodifiableList(rows);
    }

    /** Parses CSV text; throws {@link CsvFormatException} saying where the text is not CSV. */
    public static CsvTable parse(byte[] content) {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        if (text.indexOf('\0') >= 0) {
            throw new CsvFormatException("the file is binary, not CSV text");
        }
        List<List<String>> records = parseRecords(text);
        if (records.isEmpty() || records.get(0).stream().allMatch(String::isBlank)) {
            throw new CsvFormatException("the file is empty: expected a header line");
        }
        List<String> header = records.get(0).stream().map(String::trim).toList();
        List<List<String>> rows = new ArrayList<>(records.size() - 1);
        for (int i = 1; i < records.size(); i++) {
            List<String> record = records.get(i);
            if (header.size() > 1 && record.size() == 1 && record.get(0).isBlank()) {
                continue; // a blank line; in a one-column file it is an empty value
            }
            if (record.size() != header.size()) {
                throw new CsvFormatException("line " + (i + 1) + " has " + record.size() + " fields, the header has "
                        + header.size());
            }
            rows.add(record);
        }
        return new CsvTable(header, rows);
    }

    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /** The values of one column, or an error naming the missing column. */
    public List<String> column(String name) {
        int index = columnIndex(name);
        if (index < 0) {
            throw new CsvFormatException("no column '" + name + "' (columns: " + header + ")");
        }
        return rows.stream().map(r -> r.get(index)).toList();
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

    private static List<List<String>> parseRecords(String text) {
        List<List<String>> records = new ArrayList<>();
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
                records.add(record);
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
            records.add(record);
        }
        return records;
    }
}
