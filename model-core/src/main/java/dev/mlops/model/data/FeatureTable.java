package dev.mlops.model.data;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.text.Text;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A preprocessed feature matrix as CSV ({@code preprocess/X_train.csv}): a header of feature names, numbers only. */
public final class FeatureTable {

    private FeatureTable() {
    }

    /**
     * Writes the matrix as {@link #toCsv}'s CSV straight to {@code out}, row by row: no String per cell is kept, so
     * a million rows cost only the output buffer. Does not close {@code out}.
     */
    public static void write(double[][] x, List<String> featureNames, OutputStream out) throws IOException {
        RowWriter writer = writer(featureNames, out);
        for (double[] row : x) {
            writer.write(row);
        }
        writer.flush();
    }

    /** Writes the header now and then one row per {@link RowWriter#write} call; flush at the end. */
    public static RowWriter writer(List<String> featureNames, OutputStream out) throws IOException {
        return new RowWriter(featureNames, out);
    }

    /** Rows of a feature CSV written one by one, as they are computed. */
    public static final class RowWriter {
        private final List<String> featureNames;
        private final Writer writer;

        private RowWriter(List<String> featureNames, OutputStream out) throws IOException {
            this.featureNames = List.copyOf(featureNames);
            this.writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16);
            CsvTable.writeRecord(writer, featureNames);
        }

        public void write(double[] row) throws IOException {
            checkWidth(row, featureNames);
            for (int j = 0; j < row.length; j++) {
                if (j > 0) {
                    writer.write(',');
                }
                writer.write(Double.toString(row[j]));
            }
            writer.write('\n');
        }

        /** {@link #write}, for a caller that cannot throw (a Consumer): an IOException becomes unchecked. */
        public void writeUnchecked(double[] row) {
            try {
                write(row);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public void flush() throws IOException {
            writer.flush();
        }
    }

    /**
     * Reads a feature CSV from a stream, numbers straight into the rows: no String per cell is kept. The header must be
     * exactly {@code expectedFeatures}; every cell a finite number (no quoting: {@link #write} never quotes).
     * Does not close {@code in}.
     */
    public static double[][] read(InputStream in, List<String> expectedFeatures) throws IOException {
        NumberReader reader = new NumberReader(new BufferedInputStream(in, 1 << 16));
        List<String> header = reader.headerLine();
        if (!header.equals(expectedFeatures)) {
            throw new CsvFormatException("the feature " + new CsvTable(header, List.of()).describeColumns()
                    + " are not the ones the model was trained on: " + Text.quote(expectedFeatures.toString()));
        }
        int width = header.size();
        List<double[]> rows = new ArrayList<>();
        while (reader.hasRow()) {
            double[] row = new double[width];
            int line = rows.size() + 2;
            for (int j = 0; j < width; j++) {
                String cell = reader.cell();
                Double value = cell == null ? null : Values.parseNumber(cell);
                if (value == null) {
                    throw new CsvFormatException("feature '" + Text.quote(header.get(j)) + "' in row " + (line - 1)
                            + " (line " + line + ") is not a number");
                }
                row[j] = value;
                if (!reader.endOfCell(j == width - 1)) {
                    throw new CsvFormatException("line " + line + " has " + (j + 1 < width ? "fewer" : "more")
                            + " fields than the header's " + width);
                }
            }
            rows.add(row);
        }
        return rows.toArray(double[][]::new);
    }

    public static CsvTable toCsv(double[][] x, List<String> featureNames) {
        List<List<String>> rows = new ArrayList<>(x.length);
        for (double[] row : x) {
            checkWidth(row, featureNames);
            List<String> cells = new ArrayList<>(row.length);
            for (double v : row) {
                cells.add(Double.toString(v));
            }
            rows.add(cells);
        }
        return new CsvTable(featureNames, rows);
    }

    /** The matrix of a feature CSV whose header must be exactly {@code expectedFeatures} (the model's inputs, in order). */
    public static double[][] read(CsvTable table, List<String> expectedFeatures) {
        if (!table.header().equals(expectedFeatures)) {
            throw new CsvFormatException("the feature " + table.describeColumns()
                    + " are not the ones the model was trained on: " + Text.quote(expectedFeatures.toString()));
        }
        double[][] x = new double[table.rows().size()][];
        for (int i = 0; i < x.length; i++) {
            List<String> row = table.rows().get(i);
            x[i] = new double[row.size()];
            for (int j = 0; j < row.size(); j++) {
                Double value = Values.isMissing(row.get(j)) ? null : Values.parseNumber(row.get(j));
                if (value == null) {
                    throw new CsvFormatException("feature '" + Text.quote(table.header().get(j)) + "' in row "
                            + (i + 1) + " (line " + (i + 2) + ") is not a number");
                }
                x[i][j] = value;
            }
        }
        return x;
    }

    private static void checkWidth(double[] row, List<String> featureNames) {
        if (row.length != featureNames.size()) {
            throw new IllegalArgumentException("a row has " + row.length + " values for "
                    + featureNames.size() + " feature names");
        }
    }

    /** Cells of an unquoted numeric CSV, one at a time, from a byte stream. */
    private static final class NumberReader {
        private static final int MAX_CELL = 64;
        private final InputStream in;
        private final byte[] cell = new byte[MAX_CELL];
        private int next;

        NumberReader(InputStream in) throws IOException {
            this.in = in;
            this.next = in.read();
        }

        /** The header line's names, parsed as any CSV header (names may be quoted). */
        List<String> headerLine() throws IOException {
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean quoted = false;
            while (next >= 0 && (quoted || (next != '\n' && next != '\r'))) {
                if (next == '"') {
                    quoted = !quoted;
                }
                line.write(next);
                next = in.read();
            }
            skipLineEnd();
            if (line.size() == 0) {
                throw new CsvFormatException("the file is empty: expected a header line");
            }
            line.write('\n');
            return CsvTable.parse(line.toByteArray()).header();
        }

        boolean hasRow() throws IOException {
            while (next == '\n' || next == '\r') {
                next = in.read(); // blank lines, as CsvTable skips them
            }
            return next >= 0;
        }

        /** The next cell's text, or null when it is longer than any number (or quoted). */
        String cell() throws IOException {
            int length = 0;
            boolean fits = true;
            while (next >= 0 && next != ',' && next != '\n' && next != '\r') {
                if (length < MAX_CELL && next != '"') {
                    cell[length++] = (byte) next;
                } else {
                    fits = false;
                }
                next = in.read();
            }
            return fits ? new String(cell, 0, length, StandardCharsets.ISO_8859_1) : null;
        }

        /** Consumes the delimiter after a cell: true when it is a comma before a middle cell or a line end after the last. */
        boolean endOfCell(boolean last) throws IOException {
            if (next == ',') {
                if (last) {
                    return false;
                }
                next = in.read();
                return true;
            }
            if (!last) {
                return false;
            }
            skipLineEnd();
            return true;
        }

        private void skipLineEnd() throws IOException {
            if (next == '\r') {
                next = in.read();
            }
            if (next == '\n') {
                next = in.read();
            }
        }
    }
}
