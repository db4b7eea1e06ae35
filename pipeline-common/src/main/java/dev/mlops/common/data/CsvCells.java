package dev.mlops.common.data;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The rows of a parsed CSV file kept as the file's bytes and one int per cell (where the cell starts); a cell
 * becomes a String only when it is read. A million rows of 21 numbers cost the file (≈180 MB) and 84 MB of offsets
 * instead of 21 million Strings (over 1 GB): what lets a stage with a 512 MB heap hold them. One pass over the
 * bytes: delimiters and quotes are ASCII, so UTF-8 text needs no decoding to find them.
 */
final class CsvCells extends AbstractList<List<String>> {

    private static final int MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final byte[] content;
    private final int[] starts;
    private final int columns;
    private final int rows;

    private CsvCells(byte[] content, int[] starts, int columns, int rows) {
        this.content = content;
        this.starts = starts;
        this.columns = columns;
        this.rows = rows;
    }

    @Override
    public List<String> get(int row) {
        if (row < 0 || row >= rows) {
            throw new IndexOutOfBoundsException("row " + row + " of " + rows);
        }
        return new Row(row);
    }

    @Override
    public int size() {
        return rows;
    }

    /** Parses {@code content} (UTF-8, no BOM, no NUL byte) into a table of at most {@code maxCells} data cells. */
    static CsvTable parse(byte[] content, int offset, long maxCells) {
        Parser parser = new Parser(content, maxCells);
        parser.run(offset);
        if (parser.header == null) {
            throw emptyFile();
        }
        return new CsvTable(parser.header, new CsvCells(content, parser.starts, parser.header.size(), parser.rows));
    }

    private static CsvFormatException emptyFile() {
        return new CsvFormatException("the file is empty: expected a header line");
    }

    /** The cell starting at {@code start}: up to the next unquoted comma or line end, quotes removed. */
    static String cell(byte[] content, int start) {
        int i = start;
        if (i >= content.length || content[i] != '"') {
            while (i < content.length && !isDelimiter(content[i])) {
                i++;
            }
            return new String(content, start, i - start, StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream field = new ByteArrayOutputStream();
        boolean quoted = false;
        for (; i < content.length; i++) {
            byte c = content[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < content.length && content[i + 1] == '"') {
                        field.write('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.write(c);
                }
            } else if (c == '"' && field.size() == 0) {
                quoted = true;
            } else if (isDelimiter(c)) {
                break;
            } else {
                field.write(c);
            }
        }
        return field.toString(StandardCharsets.UTF_8);
    }

    private static boolean isDelimiter(byte c) {
        return c == ',' || c == '\n' || c == '\r';
    }

    private final class Row extends AbstractList<String> {
        private final int row;

        Row(int row) {
            this.row = row;
        }

        @Override
        public String get(int column) {
            if (column < 0 || column >= columns) {
                throw new IndexOutOfBoundsException("column " + column + " of " + columns);
            }
            return cell(content, starts[row * columns + column]);
        }

        @Override
        public int size() {
            return columns;
        }
    }

    /** RFC 4180 records over the bytes; the first is the header, each other one a row checked against it. */
    private static final class Parser {
        private final byte[] content;
        private final long maxCells;
        private List<String> header;
        private int[] starts = new int[0];
        private int rows;
        private long cells;
        private int records;
        private int[] record = new int[16];
        private int fields;

        Parser(byte[] content, long maxCells) {
            this.content = content;
            this.maxCells = maxCells;
        }

        void run(int offset) {
            boolean quoted = false;
            boolean fieldEmpty = true;
            boolean recordOpen = false;
            int line = 1;
            startField(offset);
            for (int i = offset; i < content.length; i++) {
                byte c = content[i];
                recordOpen = true;
                if (quoted) {
                    if (c == '"') {
                        if (i + 1 < content.length && content[i + 1] == '"') {
                            fieldEmpty = false;
                            i++;
                        } else {
                            quoted = false;
                        }
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        fieldEmpty = false;
                    }
                } else if (c == '"' && fieldEmpty) {
                    quoted = true;
                } else if (c == ',') {
                    startField(i + 1);
                    fieldEmpty = true;
                } else if (c == '\n' || c == '\r') {
                    if (c == '\r' && i + 1 < content.length && content[i + 1] == '\n') {
                        i++;
                    }
                    endRecord();
                    startField(i + 1);
                    fieldEmpty = true;
                    recordOpen = false;
                    line++;
                } else {
                    fieldEmpty = false;
                }
            }
            if (quoted) {
                throw new CsvFormatException("a quoted field opened before line " + line + " is never closed");
            }
            if (recordOpen) {
                endRecord();
            }
        }

        private void startField(int start) {
            if (fields == record.length) {
                record = Arrays.copyOf(record, fields * 2);
            }
            record[fields++] = start;
        }

        private void endRecord() {
            records++;
            int count = fields;
            fields = 0;
            if (header == null) {
                List<String> names = new ArrayList<>(count);
                for (int f = 0; f < count; f++) {
                    names.add(cell(content, record[f]).trim());
                }
                if (names.stream().allMatch(String::isBlank)) {
                    throw emptyFile();
                }
                header = List.copyOf(names);
                starts = new int[initialCapacity()];
                return;
            }
            if (header.size() > 1 && count == 1 && cell(content, record[0]).isBlank()) {
                return; // a blank line; in a one-column file it is an empty value
            }
            if (count != header.size()) {
                throw new CsvFormatException("line " + records + " has " + count + " fields, the header has "
                        + header.size());
            }
            cells += count;
            if (cells > maxCells || cells > MAX_ARRAY) {
                throw new CsvTooLargeException(Math.min(maxCells, MAX_ARRAY), header.size());
            }
            int at = rows * count;
            if (at + count > starts.length) {
                starts = Arrays.copyOf(starts, (int) Math.min(MAX_ARRAY, Math.max(at + count, starts.length * 3L / 2)));
            }
            System.arraycopy(record, 0, starts, at, count);
            rows++;
        }

        /** Line ends left × columns: room for every row unless quoted fields hold line breaks. */
        private int initialCapacity() {
            long lineEnds = 1;
            for (byte b : content) {
                if (b == '\n') {
                    lineEnds++;
                }
            }
            return (int) Math.min(Math.min(lineEnds * header.size(), maxCells + header.size()), MAX_ARRAY);
        }
    }
}
