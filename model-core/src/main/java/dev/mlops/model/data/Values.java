package dev.mlops.model.data;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** How raw CSV values are read: which tokens mean "missing", numbers, and scikit-learn's ordering of categories. */
public final class Values {

    /** pandas' default NA tokens (read_csv), so a file means the same here as in the scikit-learn workflow. */
    private static final Set<String> MISSING = Set.of(
            "", "NA", "N/A", "n/a", "NaN", "nan", "-NaN", "-nan", "null", "NULL", "None", "<NA>", "#N/A", "#NA");

    private Values() {
    }

    public static boolean isMissing(String value) {
        return value == null || MISSING.contains(value.trim());
    }

    /** The number in {@code value}, or null when it is not a finite number. Missing values must be checked first. */
    public static Double parseNumber(String value) {
        try {
            double parsed = Double.parseDouble(value.trim());
            return Double.isFinite(parsed) ? parsed : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static boolean allNumeric(Collection<String> values) {
        return values.stream().allMatch(v -> parseNumber(v) != null);
    }

    /**
     * The distinct values sorted as scikit-learn sorts a column's categories (numpy's unique): numerically when
     * every value is a number (pandas reads such a column as numbers), else by code point like Python strings.
     */
    public static List<String> sortedLikeSklearn(Collection<String> values) {
        Comparator<String> order = allNumeric(values)
                ? Comparator.comparingDouble((String v) -> parseNumber(v)).thenComparing(Comparator.naturalOrder())
                : Comparator.naturalOrder();
        return values.stream().distinct().sorted(order).toList();
    }
}
