package dev.mlops.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The figures as a Markdown table: readable in a terminal and pasted as is into BENCHMARKS.md. */
public final class ResultsTable {

    static final List<String> HEADER = List.of("section", "figure", "value", "reference", "ratio", "target", "");

    private ResultsTable() {
    }

    public static String format(List<Figure> figures) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(HEADER);
        for (Figure f : figures) {
            rows.add(List.of(f.section(), f.name(), withUnit(f.value(), f.unit()),
                    f.reference() == null ? "" : withUnit(f.reference(), f.unit()),
                    f.ratio() == null ? "" : Figure.number(f.ratio()) + "x",
                    f.target() == null ? "" : targetText(f),
                    verdict(f.met())));
        }
        int[] widths = new int[HEADER.size()];
        Arrays.fill(widths, 3);  // a Markdown rule needs three dashes
        for (List<String> row : rows) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            line(out, rows.get(r), widths);
            if (r == 0) {
                List<String> rule = new ArrayList<>();
                for (int width : widths) {
                    rule.add("-".repeat(width));
                }
                line(out, rule, widths);
            }
        }
        return out.toString();
    }

    /** "< 20 ms"; "ratio >= 2x"; "difference < 0.03". */
    private static String targetText(Figure f) {
        return switch (f.targetOn()) {
            case VALUE -> f.target().text();
            case RATIO -> "ratio " + f.target().text();
            case DIFFERENCE -> "difference " + f.target().text();
        };
    }

    static String verdict(Boolean met) {
        return met == null ? "" : met ? "pass" : "MISS";
    }

    private static String withUnit(double value, String unit) {
        return (Figure.number(value) + " " + unit).trim();
    }

    private static void line(StringBuilder out, List<String> cells, int[] widths) {
        out.append('|');
        for (int i = 0; i < cells.size(); i++) {
            String cell = cells.get(i);
            out.append(' ').append(cell).append(" ".repeat(Math.max(0, widths[i] - cell.length()))).append(" |");
        }
        out.append('\n');
    }
}
