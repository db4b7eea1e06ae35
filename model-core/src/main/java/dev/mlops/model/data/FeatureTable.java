package dev.mlops.model.data;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.text.Text;

import java.util.ArrayList;
import java.util.List;

/** A preprocessed feature matrix as CSV ({@code preprocess/X_train.csv}): a header of feature names, numbers only. */
public final class FeatureTable {

    private FeatureTable() {
    }

    public static CsvTable toCsv(double[][] x, List<String> featureNames) {
        List<List<String>> rows = new ArrayList<>(x.length);
        for (double[] row : x) {
            if (row.length != featureNames.size()) {
                throw new IllegalArgumentException("a row has " + row.length + " values for "
                        + featureNames.size() + " feature names");
            }
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
}
