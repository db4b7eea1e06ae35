package dev.mlops.common.data;

import dev.mlops.common.text.Text;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A CSV file as a header and rows of strings: RFC 4180 quoting, CRLF or LF line ends, no trailing newline needed.
 * Every stage reads and writes through this; a parsed file keeps its bytes and turns a cell into a String only when
 * it is read ({@link CsvCells}), so a million-row dataset fits a stage's heap.
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
        for (byte b : content) {
            if (b == 0) {
                throw new CsvFormatException("the file is binary, not CSV text");
            }
        }
        boolean bom = content.length >= 3 && (content[0] & 0xFF) == 0xEF && (content[1] & 0xFF) == 0xBB
                && (content[2] & 0xFF) == 0xBF;
        return CsvCells.parse(content, bom ? 3 : 0, maxCells);
    }

    public int columnIndex(String name) {
        return header.indexOf(name);
    }

    /**
     * The values of one column, or an error naming the missing column. A view: a cell becomes a String only as it is
     * read, so going over a million-row column costs no million Strings at once (copy what you keep).
     */
    public List<String> column(String name) {
        int index = columnIndex(name);
        if (index < 0) {
            throw new CsvFormatException("no column " + Text.quote("'" + name + "'") + " (" + describeColumns() + ")");
        }
        List<List<String>> table = rows;
        return new AbstractList<>() {
            @Override
            public String get(int row) {
                return table.get(row).get(index);
            }

            @Override
            public int size() {
                return table.size();
            }
        };
    }

    /** "columns: 'a', 'b'", escaped and truncated: the most of a file an error message may show. */
    public String describeColumns() {
        return "columns: " + Text.quote(header.stream().map(name -> "'" + name + "'")
                .collect(Collectors.joining(", ")));
    }

    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes the table as CSV to {@code out}, record by record (UTF-8). Does not close {@code out}. */
    public void write(OutputStream out) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                1 << 16);
        writeRecord(writer, header);
        for (List<String> row : rows) {
            writeRecord(writer, row);
        }
        writer.flush();
    }

    /** One CSV record and its line end; a field with a comma, quote or line break is quoted. */
    public static void writeRecord(Writer out, List<String> fields) throws IOException {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            String field = fields.get(i) == null ? "" : fields.get(i);
            if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
                out.write('"');
                out.write(field.replace("\"", "\"\""));
                out.write('"');
            } else {
                out.write(field);
            }
        }
        out.write('\n');
    }
}
