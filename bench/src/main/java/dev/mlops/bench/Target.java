package dev.mlops.bench;

import java.util.Locale;

/**
 * A target of issue 7 on one figure: the figure must be at most (or at least) the threshold.
 *
 * @param text how BENCHMARKS.md states it, e.g. "< 20 ms"
 */
public record Target(String text, boolean atMost, double threshold) {

    public static Target below(double threshold, String unit) {
        return new Target(String.format(Locale.ROOT, "< %s %s", Figure.number(threshold), unit).trim(), true, threshold);
    }

    public static Target atLeast(double threshold, String unit) {
        return new Target(String.format(Locale.ROOT, ">= %s%s", Figure.number(threshold), unit), false, threshold);
    }

    public boolean met(double value) {
        return atMost ? value < threshold : value >= threshold;
    }
}
