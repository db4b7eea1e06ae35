package dev.mlops.model.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Test-set metrics as scikit-learn computes them: accuracy, precision / recall / F1 per class and weighted by
 * support ({@code average='weighted'}, {@code zero_division=0}), the confusion matrix, and the text of
 * {@code classification_report}. Like scikit-learn, only classes that occur in the true or predicted labels are
 * reported.
 */
public final class ClassificationMetrics {

    /** One class's line of the report. */
    public record ClassMetrics(String label, double precision, double recall, double f1, int support) {
    }

    private final List<String> labels;
    private final int[][] confusion;
    private final List<ClassMetrics> perClass;
    private final int total;
    private final double accuracy;
    private final double precision;
    private final double recall;
    private final double f1;

    private ClassificationMetrics(List<String> labels, int[][] confusion) {
        this.labels = List.copyOf(labels);
        this.confusion = confusion;
        int k = labels.size();
        int correct = 0;
        int n = 0;
        List<ClassMetrics> classes = new ArrayList<>();
        double weightedPrecision = 0;
        double weightedRecall = 0;
        double weightedF1 = 0;
        for (int c = 0; c < k; c++) {
            int truePositives = confusion[c][c];
            int support = 0;
            int predicted = 0;
            for (int o = 0; o < k; o++) {
                support += confusion[c][o];
                predicted += confusion[o][c];
            }
            double p = predicted == 0 ? 0 : (double) truePositives / predicted;
            double r = support == 0 ? 0 : (double) truePositives / support;
            double f = p + r == 0 ? 0 : 2 * p * r / (p + r);
            classes.add(new ClassMetrics(labels.get(c), p, r, f, support));
            weightedPrecision += p * support;
            weightedRecall += r * support;
            weightedF1 += f * support;
            correct += truePositives;
            n += support;
        }
        this.perClass = List.copyOf(classes);
        this.total = n;
        this.accuracy = n == 0 ? 0 : (double) correct / n;
        this.precision = n == 0 ? 0 : weightedPrecision / n;
        this.recall = n == 0 ? 0 : weightedRecall / n;
        this.f1 = n == 0 ? 0 : weightedF1 / n;
    }

    /**
     * @param truth       true label indexes into {@code labels}
     * @param predictions predicted label indexes into {@code labels}
     * @param labels      every label an index may refer to, in scikit-learn's order
     */
    public static ClassificationMetrics of(int[] truth, int[] predictions, List<String> labels) {
        if (truth.length != predictions.length) {
            throw new IllegalArgumentException(truth.length + " true labels but " + predictions.length + " predictions");
        }
        if (truth.length == 0) {
            throw new IllegalArgumentException("no labels to evaluate: the test set is empty");
        }
        boolean[] present = new boolean[labels.size()];
        for (int i = 0; i < truth.length; i++) {
            checkIndex(truth[i], labels, "true label");
            checkIndex(predictions[i], labels, "prediction");
            present[truth[i]] = true;
            present[predictions[i]] = true;
        }
        int[] position = new int[labels.size()];
        List<String> reported = new ArrayList<>();
        for (int c = 0; c < labels.size(); c++) {
            position[c] = reported.size();
            if (present[c]) {
                reported.add(labels.get(c));
            }
        }
        int[][] confusion = new int[reported.size()][reported.size()];
        for (int i = 0; i < truth.length; i++) {
            confusion[position[truth[i]]][position[predictions[i]]]++;
        }
        return new ClassificationMetrics(reported, confusion);
    }

    public double accuracy() {
        return accuracy;
    }

    /** Weighted by support, as scikit-learn's {@code precision_score(average='weighted')}. */
    public double precision() {
        return precision;
    }

    public double recall() {
        return recall;
    }

    public double f1() {
        return f1;
    }

    public int support() {
        return total;
    }

    /** The reported labels: those occurring in the true or predicted labels, in order. */
    public List<String> labels() {
        return labels;
    }

    public List<ClassMetrics> perClass() {
        return perClass;
    }

    /** Rows are true labels, columns predicted labels, both in {@link #labels()} order. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) {
            copy[i] = confusion[i].clone();
        }
        return copy;
    }

    /** The text of scikit-learn's {@code classification_report} (two digits). */
    public String report() {
        int digits = 2;
        String weightedHeading = "weighted avg";
        int width = weightedHeading.length();
        for (String label : labels) {
            width = Math.max(width, label.length());
        }
        StringBuilder out = new StringBuilder();
        out.append(pad("", width)).append(' ');
        for (String header : List.of("precision", "recall", "f1-score", "support")) {
            out.append(' ').append(pad(header, 9));
        }
        out.append("\n\n");
        for (ClassMetrics c : perClass) {
            row(out, c.label(), c.precision(), c.recall(), c.f1(), c.support(), width, digits);
        }
        out.append('\n');
        out.append(pad("accuracy", width)).append(' ')
                .append(' ').append(pad("", 9))
                .append(' ').append(pad("", 9))
                .append(' ').append(pad(format(accuracy, digits), 9))
                .append(' ').append(pad(Integer.toString(total), 9)).append('\n');
        double k = perClass.size();
        row(out, "macro avg", perClass.stream().mapToDouble(ClassMetrics::precision).sum() / k,
                perClass.stream().mapToDouble(ClassMetrics::recall).sum() / k,
                perClass.stream().mapToDouble(ClassMetrics::f1).sum() / k, total, width, digits);
        row(out, weightedHeading, precision, recall, f1, total, width, digits);
        return out.toString();
    }

    /** The confusion matrix as a labelled table: rows are true labels, columns predicted labels. */
    public String confusionMatrixText() {
        List<String> rowNames = labels.stream().map(l -> "true " + l).toList();
        List<String> columnNames = labels.stream().map(l -> "predicted " + l).toList();
        int first = rowNames.stream().mapToInt(String::length).max().orElse(0);
        int cell = columnNames.stream().mapToInt(String::length).max().orElse(0);
        for (int[] row : confusion) {
            for (int v : row) {
                cell = Math.max(cell, Integer.toString(v).length());
            }
        }
        StringBuilder out = new StringBuilder("Confusion matrix (rows: true label, columns: predicted label)\n\n");
        out.append(pad("", first));
        for (String name : columnNames) {
            out.append("  ").append(pad(name, cell));
        }
        out.append('\n');
        for (int r = 0; r < confusion.length; r++) {
            out.append(String.format("%-" + first + "s", rowNames.get(r)));
            for (int v : confusion[r]) {
                out.append("  ").append(pad(Integer.toString(v), cell));
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** A JSON-able map: the weighted figures under the names the evaluate stage logs, per-class figures, the matrix. */
    public Map<String, Object> toMap() {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("accuracy", accuracy);
        map.put("precision", precision);
        map.put("recall", recall);
        map.put("f1_score", f1);
        map.put("support", total);
        map.put("average", "weighted");
        map.put("labels", labels);
        Map<String, Object> classes = new LinkedHashMap<>();
        for (ClassMetrics c : perClass) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("precision", c.precision());
            m.put("recall", c.recall());
            m.put("f1_score", c.f1());
            m.put("support", c.support());
            classes.put(c.label(), m);
        }
        map.put("per_class", classes);
        map.put("confusion_matrix", confusionMatrix());
        return map;
    }

    private static void row(StringBuilder out, String heading, double p, double r, double f, int support,
                            int width, int digits) {
        out.append(pad(heading, width)).append(' ')
                .append(' ').append(pad(format(p, digits), 9))
                .append(' ').append(pad(format(r, digits), 9))
                .append(' ').append(pad(format(f, digits), 9))
                .append(' ').append(pad(Integer.toString(support), 9)).append('\n');
    }

    /** Python's {@code format(value, '.2f')}: the exact binary value rounded half-even. */
    static String format(double value, int digits) {
        return new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String pad(String text, int width) {
        return text.length() >= width ? text : " ".repeat(width - text.length()) + text;
    }

    private static void checkIndex(int index, List<String> labels, String what) {
        if (index < 0 || index >= labels.size()) {
            throw new IllegalArgumentException(what + " index " + index + " is not one of the " + labels.size()
                    + " labels " + labels);
        }
    }
}
