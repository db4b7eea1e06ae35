package dev.mlops.serving.service;

import dev.mlops.common.text.Text;
import dev.mlops.model.bundle.ModelSignature;
import dev.mlops.model.data.Values;
import dev.mlops.model.preprocess.InvalidDataException;
import dev.mlops.model.preprocess.Preprocessor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns a request's rows into the forest's feature rows. Per request, by the columns present: all feature
 * columns ({@code num__Age}, ..., {@code cat__Sex_male}) are used as they are (what the published workflow sends);
 * otherwise the model's raw input columns (Age, Sex, ...) go through the bundled preprocessor. Other columns
 * (Name, ...) are ignored. Plain-array rows are feature rows when they have one value per feature, raw rows in
 * the signature's input order when they have one value per input column.
 */
public class FeatureRows {

    private final Preprocessor preprocessor;
    private final List<String> featureColumns;
    private final List<String> inputColumns;
    private final boolean[] inputIsNumeric;

    public FeatureRows(Preprocessor preprocessor, ModelSignature signature) {
        this.preprocessor = preprocessor;
        this.featureColumns = signature.featureColumns();
        this.inputColumns = signature.inputColumns();
        this.inputIsNumeric = new boolean[inputColumns.size()];
        for (int j = 0; j < inputIsNumeric.length; j++) {
            inputIsNumeric[j] = ModelSignature.NUMERIC.equals(signature.inputs().get(j).type());
        }
    }

    public double[][] of(InputTable table) {
        if (table.rows().isEmpty()) {
            throw InvalidInputException.badRequest("no rows to score");
        }
        if (table.positional()) {
            int width = table.rows().get(0).length;
            if (width == featureColumns.size()) {
                return features(table, identity(width), true);
            }
            if (width == inputColumns.size()) {
                return preprocessed(table, identity(width), true);
            }
            throw InvalidInputException.invalidValue("row 1 has " + width + " values: a row given as a list must hold the "
                    + featureColumns.size() + " feature columns in this order " + featureColumns + ", or the "
                    + inputColumns.size() + " input columns in this order " + inputColumns);
        }
        int[] features = indexes(table.columns(), featureColumns);
        if (features != null) {
            return features(table, features, false);
        }
        int[] inputs = indexes(table.columns(), inputColumns);
        if (inputs != null) {
            return preprocessed(table, inputs, false);
        }
        throw missingColumns(table.columns());
    }

    private double[][] features(InputTable table, int[] columns, boolean positional) {
        double[][] x = new double[table.rows().size()][];
        for (int i = 0; i < x.length; i++) {
            checkWidth(table, i, positional);
            double[] row = new double[columns.length];
            for (int j = 0; j < columns.length; j++) {
                row[j] = featureValue(table.cell(i, columns[j]), featureColumns.get(j), i);
            }
            x[i] = row;
        }
        return x;
    }

    private double[][] preprocessed(InputTable table, int[] columns, boolean positional) {
        double[][] x = new double[table.rows().size()][];
        Map<String, Object> record = new HashMap<>();
        for (int i = 0; i < x.length; i++) {
            checkWidth(table, i, positional);
            for (int j = 0; j < columns.length; j++) {
                String column = inputColumns.get(j);
                Object value = table.cell(i, columns[j]);
                if (value == InputTable.ABSENT) {
                    throw InvalidInputException.invalidValue("row " + (i + 1) + " has no column '" + column
                            + "' (send null to have a missing value imputed)");
                }
                if (value == InputTable.NESTED || (inputIsNumeric[j] && !isNumeric(value))) {
                    throw wrongType(column, value, i, "a number, or null to impute it");
                }
                record.put(column, value);
            }
            try {
                x[i] = preprocessor.transform(record);
            } catch (InvalidDataException e) {
                throw InvalidInputException.invalidValue("row " + (i + 1) + ": " + Text.quote(e.getMessage(), 500));
            }
        }
        return x;
    }

    private static boolean isNumeric(Object value) {
        if (value instanceof Number number) {
            return Double.isFinite(number.doubleValue());
        }
        return value == null || value instanceof String text && (Values.isMissing(text) || Values.parseNumber(text) != null);
    }

    private static double featureValue(Object value, String column, int row) {
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return number.doubleValue();
        }
        if (value instanceof String text && !Values.isMissing(text)) {
            Double parsed = Values.parseNumber(text);
            if (parsed != null) {
                return parsed;
            }
        }
        if (value instanceof Boolean flag) {
            return flag ? 1.0 : 0.0;
        }
        if (value == InputTable.ABSENT) {
            throw InvalidInputException.invalidValue("row " + (row + 1) + " has no column '" + column + "'");
        }
        if (value == null || value instanceof String text && Values.isMissing(text)) {
            throw InvalidInputException.invalidValue("feature column '" + column + "' is empty in row " + (row + 1)
                    + ": preprocessed features must be numbers (send the raw columns to have missing values imputed)");
        }
        throw wrongType(column, value, row, "a number");
    }

    private void checkWidth(InputTable table, int row, boolean positional) {
        int width = table.rows().get(row).length;
        int expected = table.rows().get(0).length;
        if (positional && width != expected) {
            throw InvalidInputException.invalidValue("row " + (row + 1) + " has " + width + " values, row 1 has " + expected
                    + ": every row given as a list must have the same length");
        }
    }

    private static InvalidInputException wrongType(String column, Object value, int row, String expected) {
        String shown = value == InputTable.NESTED ? "a JSON object or list" : value instanceof String ? "'" + Text.quote((String) value) + "'"
                : Text.quote(String.valueOf(value));
        return InvalidInputException.invalidValue("column '" + column + "' has the value " + shown + " in row " + (row + 1)
                + ": expected " + expected);
    }

    /** Where each wanted column is among the request's columns, or null when one is missing. */
    private static int[] indexes(List<String> columns, List<String> wanted) {
        int[] indexes = new int[wanted.size()];
        for (int j = 0; j < indexes.length; j++) {
            indexes[j] = columns.indexOf(wanted.get(j));
            if (indexes[j] < 0) {
                return null;
            }
        }
        return indexes;
    }

    private InvalidInputException missingColumns(List<String> columns) {
        Set<String> present = new HashSet<>(columns);
        long features = featureColumns.stream().filter(present::contains).count();
        long inputs = inputColumns.stream().filter(present::contains).count();
        // name what is missing from the kind of record the client seems to send
        List<String> wanted = features > inputs ? featureColumns : inputColumns;
        List<String> missing = new ArrayList<>(wanted.stream().filter(c -> !present.contains(c)).toList());
        return InvalidInputException.invalidValue("missing column" + (missing.size() == 1 ? " '" + missing.get(0) + "'"
                : "s " + missing) + ": the model takes records with its input columns " + inputColumns
                + " (other columns are ignored), or with all of its feature columns " + featureColumns
                + "; the request has " + Text.quote(columns.toString(), 500));
    }

    private static int[] identity(int n) {
        int[] indexes = new int[n];
        for (int j = 0; j < n; j++) {
            indexes[j] = j;
        }
        return indexes;
    }
}
