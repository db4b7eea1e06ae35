package dev.mlops.model.preprocess;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.text.Text;
import dev.mlops.model.data.Values;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The fitted feature transform of the published workflow (scikit-learn's ColumnTransformer):
 * numeric columns get median imputation then standard scaling, categorical columns most-frequent imputation
 * then one-hot encoding that ignores unseen categories. Feature names are scikit-learn's
 * ({@code num__Age}, {@code cat__Pclass_1}, ...). Serialises to a readable JSON document.
 */
public final class Preprocessor {

    static final String FORMAT = "mlops.preprocessor/v1";
    private static final double MIN_SCALE = 10 * Math.ulp(1.0);

    /** @param scale the population standard deviation of the imputed column, 1 when it is (near) zero */
    public record NumericColumn(String name, double median, double mean, double scale) {
    }

    /** @param categories sorted as scikit-learn sorts them; each becomes one feature */
    public record CategoricalColumn(String name, String mostFrequent, List<String> categories) {
        public CategoricalColumn {
            categories = List.copyOf(categories);
        }
    }

    private final List<NumericColumn> numeric;
    private final List<CategoricalColumn> categorical;
    private final List<String> featureNames;
    private final List<CategoryMatcher> matchers;

    public Preprocessor(List<NumericColumn> numeric, List<CategoricalColumn> categorical) {
        this.numeric = List.copyOf(numeric);
        this.categorical = List.copyOf(categorical);
        List<String> names = new ArrayList<>();
        numeric.forEach(c -> names.add("num__" + c.name()));
        categorical.forEach(c -> c.categories().forEach(category -> names.add("cat__" + c.name() + "_" + category)));
        this.featureNames = List.copyOf(names);
        this.matchers = categorical.stream().map(CategoryMatcher::new).toList();
    }

    /** Fits on every row of {@code raw}; throws {@link InvalidDataException} naming a column it cannot use. */
    public static Preprocessor fit(CsvTable raw, PipelineSpec.Features features) {
        validate(raw, features);
        List<NumericColumn> numeric = new ArrayList<>();
        for (String name : features.numeric()) {
            numeric.add(fitNumeric(name, raw.column(name)));
        }
        List<CategoricalColumn> categorical = new ArrayList<>();
        for (String name : features.categorical()) {
            categorical.add(fitCategorical(name, raw.column(name)));
        }
        return new Preprocessor(numeric, categorical);
    }

    /**
     * Checks that every feature column exists, has at least one value, and holds numbers where numbers are
     * expected. Row numbers in the messages count the data rows of {@code raw} (line = row + 1).
     */
    public static void validate(CsvTable raw, PipelineSpec.Features features) {
        for (String name : features.all()) {
            if (raw.columnIndex(name) < 0) {
                throw new InvalidDataException(name, "the data has no column '" + Text.quote(name) + "' ("
                        + raw.describeColumns() + ")");
            }
            List<String> values = raw.column(name);
            if (values.stream().allMatch(Values::isMissing)) {
                throw new InvalidDataException(name, "feature column '" + Text.quote(name) + "' has no values: all "
                        + values.size() + " rows are empty or NA, so there is nothing to learn or impute from");
            }
        }
        for (String name : features.numeric()) {
            List<String> values = raw.column(name);
            for (int i = 0; i < values.size(); i++) {
                String value = values.get(i);
                if (!Values.isMissing(value) && Values.parseNumber(value) == null) {
                    throw nonNumeric(name, value, Where.row(i));
                }
            }
        }
    }

    public List<String> featureNames() {
        return featureNames;
    }

    /** The raw columns this transform reads: numeric ones first, then categorical ones. */
    public List<String> inputColumns() {
        List<String> columns = new ArrayList<>();
        numeric.forEach(c -> columns.add(c.name()));
        categorical.forEach(c -> columns.add(c.name()));
        return columns;
    }

    public List<NumericColumn> numericColumns() {
        return numeric;
    }

    public List<CategoricalColumn> categoricalColumns() {
        return categorical;
    }

    public double[][] transform(CsvTable raw) {
        double[][] x = new double[raw.rows().size()][];
        int[] next = {0};
        transformEach(raw, features -> x[next[0]++] = features.clone());
        return x;
    }

    /**
     * Transforms {@code raw} row by row, handing each row's features to {@code sink} in row order; the array is
     * reused for the next row (copy what you keep). How a million rows are written without a matrix in the heap.
     */
    public void transformEach(CsvTable raw, Consumer<double[]> sink) {
        int[] numericIndex = columnIndexes(raw, numeric.stream().map(NumericColumn::name).toList());
        int[] categoricalIndex = columnIndexes(raw, categorical.stream().map(CategoricalColumn::name).toList());
        double[] features = new double[featureNames.size()];
        for (int i = 0; i < raw.rows().size(); i++) {
            List<String> row = raw.rows().get(i);
            Where where = Where.row(i);
            Arrays.fill(features, 0);
            int f = 0;
            for (int j = 0; j < numeric.size(); j++) {
                features[f++] = scaleText(numeric.get(j), row.get(numericIndex[j]), where);
            }
            for (int j = 0; j < categorical.size(); j++) {
                f = matchers.get(j).encode(row.get(categoricalIndex[j]), features, f);
            }
            sink.accept(features);
        }
    }

    /**
     * Transforms one raw record (column name -> value, as a scoring request sends it). Every input column must be
     * present; a null or NA value is imputed like a missing CSV cell.
     */
    public double[] transform(Map<String, Object> rawRecord) {
        double[] features = new double[featureNames.size()];
        int f = 0;
        for (NumericColumn column : numeric) {
            Object value = require(rawRecord, column.name());
            if (value instanceof Number number) {
                double v = number.doubleValue();
                if (!Double.isFinite(v)) {
                    throw nonNumeric(column.name(), String.valueOf(v), Where.RECORD);
                }
                features[f++] = (v - column.mean()) / column.scale();
            } else if (value == null || value instanceof String) {
                features[f++] = scaleText(column, (String) value, Where.RECORD);
            } else {
                throw nonNumeric(column.name(), String.valueOf(value), Where.RECORD);
            }
        }
        for (CategoryMatcher matcher : matchers) {
            Object value = require(rawRecord, matcher.column.name());
            f = matcher.encode(value == null ? null : String.valueOf(value), features, f);
        }
        return features;
    }

    public String toJson() {
        Document document = new Document(FORMAT, numeric, categorical, featureNames);
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(document) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads {@link #toJson()}'s document; an invalid one is an {@link IllegalArgumentException} saying why. */
    public static Preprocessor fromJson(String json) {
        Document document;
        try {
            document = Json.read(json, Document.class);
        } catch (JsonInputException e) {
            throw new IllegalArgumentException("not a preprocessor document: " + e.getMessage(), e);
        }
        if (!FORMAT.equals(document.format())) {
            throw new IllegalArgumentException("not a preprocessor document: format is '" + document.format()
                    + "', expected '" + FORMAT + "'");
        }
        if (document.numeric() == null || document.categorical() == null) {
            throw new IllegalArgumentException("not a preprocessor document: 'numeric' and 'categorical' are required");
        }
        for (NumericColumn c : document.numeric()) {
            if (c.name() == null || !(c.scale() > 0) || !Double.isFinite(c.mean()) || !Double.isFinite(c.median())) {
                throw new IllegalArgumentException("preprocessor document: numeric column " + c
                        + " needs a name, finite median and mean, and a positive scale");
            }
        }
        for (CategoricalColumn c : document.categorical()) {
            if (c.name() == null || c.mostFrequent() == null || c.categories().isEmpty()) {
                throw new IllegalArgumentException("preprocessor document: categorical column '" + c.name()
                        + "' needs a name, a most frequent value and at least one category");
            }
        }
        Preprocessor preprocessor = new Preprocessor(document.numeric(), document.categorical());
        if (document.featureNames() != null && !document.featureNames().equals(preprocessor.featureNames)) {
            throw new IllegalArgumentException("preprocessor document: featureNames " + document.featureNames()
                    + " do not follow from its columns " + preprocessor.featureNames);
        }
        return preprocessor;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessor p && numeric.equals(p.numeric) && categorical.equals(p.categorical);
    }

    @Override
    public int hashCode() {
        return Objects.hash(numeric, categorical);
    }

    @Override
    public String toString() {
        return "Preprocessor" + featureNames;
    }

    /** The JSON document; {@code featureNames} is derived, written for readers and checked on load. */
    record Document(String format, List<NumericColumn> numeric, List<CategoricalColumn> categorical,
                    List<String> featureNames) {
    }

    private static NumericColumn fitNumeric(String name, List<String> values) {
        double[] present = values.stream().filter(v -> !Values.isMissing(v)).mapToDouble(Values::parseNumber)
                .sorted().toArray();
        int n = present.length;
        double median = n % 2 == 1 ? present[n / 2] : (present[n / 2 - 1] + present[n / 2]) / 2;
        double[] imputed = values.stream()
                .mapToDouble(v -> Values.isMissing(v) ? median : Values.parseNumber(v)).toArray();
        double mean = 0;
        for (double v : imputed) {
            mean += v;
        }
        mean /= imputed.length;
        double squares = 0;
        for (double v : imputed) {
            squares += (v - mean) * (v - mean);
        }
        double std = Math.sqrt(squares / imputed.length);
        return new NumericColumn(name, median, mean, std < MIN_SCALE ? 1.0 : std);
    }

    private static CategoricalColumn fitCategorical(String name, List<String> values) {
        Map<String, Integer> counts = new HashMap<>();
        values.stream().filter(v -> !Values.isMissing(v)).map(String::trim).forEach(v -> counts.merge(v, 1, Integer::sum));
        List<String> categories = Values.sortedLikeSklearn(counts.keySet());
        int most = counts.values().stream().mapToInt(Integer::intValue).max().orElseThrow();
        // ties go to the smallest value, as scikit-learn's most_frequent imputer does
        String mostFrequent = categories.stream().filter(c -> counts.get(c) == most).findFirst().orElseThrow();
        return new CategoricalColumn(name, mostFrequent, categories);
    }

    private static double scaleText(NumericColumn column, String text, Where where) {
        double value;
        if (Values.isMissing(text)) {
            value = column.median();
        } else {
            Double parsed = Values.parseNumber(text);
            if (parsed == null) {
                throw nonNumeric(column.name(), text, where);
            }
            value = parsed;
        }
        return (value - column.mean()) / column.scale();
    }

    private static Object require(Map<String, Object> record, String column) {
        if (!record.containsKey(column)) {
            throw new InvalidDataException(column, "the record has no column '" + Text.quote(column) + "' (it has: "
                    + Text.quote(record.keySet().toString()) + ")");
        }
        return record.get(column);
    }

    private static int[] columnIndexes(CsvTable raw, List<String> names) {
        int[] indexes = new int[names.size()];
        for (int i = 0; i < indexes.length; i++) {
            indexes[i] = raw.columnIndex(names.get(i));
            if (indexes[i] < 0) {
                throw new InvalidDataException(names.get(i), "the data has no column '"
                        + Text.quote(names.get(i)) + "' (" + raw.describeColumns() + ")");
            }
        }
        return indexes;
    }

    private static InvalidDataException nonNumeric(String column, String value, Where where) {
        String what = where.showsValues() ? "the non-numeric value '" + Text.quote(value) + "'" : "a non-numeric value";
        return new InvalidDataException(column, "numeric feature '" + Text.quote(column) + "' has " + what + " "
                + where.description());
    }

    /**
     * Where a value was read: a scoring request's record (its own values may be echoed, escaped) or a row of a data
     * file, whose cells are never quoted: the file may be anything a user pointed the platform at.
     */
    private record Where(String description, boolean showsValues) {
        static final Where RECORD = new Where("in the record", true);

        static Where row(int index) {
            return new Where("in row " + (index + 1) + " (line " + (index + 2) + " of the CSV)", false);
        }
    }

    /** One-hot encoding of one categorical column; numeric categories match by value (1, "1" and 1.0 alike). */
    private static final class CategoryMatcher {
        private final CategoricalColumn column;
        private final Map<String, Integer> byText = new HashMap<>();
        private final Map<Double, Integer> byNumber = new HashMap<>();

        CategoryMatcher(CategoricalColumn column) {
            this.column = column;
            boolean numericCategories = Values.allNumeric(column.categories());
            for (int i = 0; i < column.categories().size(); i++) {
                String category = column.categories().get(i);
                byText.put(category, i);
                if (numericCategories) {
                    byNumber.put(Values.parseNumber(category), i);
                }
            }
        }

        /** Writes the one-hot block at {@code offset}; an unseen category leaves it all zero. Returns the next offset. */
        int encode(String value, double[] features, int offset) {
            String category = Values.isMissing(value) ? column.mostFrequent() : value.trim();
            Integer index = byText.get(category);
            if (index == null && !byNumber.isEmpty()) {
                Double number = Values.parseNumber(category);
                index = number == null ? null : byNumber.get(number);
            }
            if (index != null) {
                features[offset + index] = 1.0;
            }
            return offset + column.categories().size();
        }
    }
}
