package dev.mlops.bench;

import java.util.Locale;

/**
 * One measured figure: its value, optionally the peer's figure measured alongside (with our/their ratio oriented so
 * that more is better) and the target with whether it was met.
 *
 * @param reference the peer's value in the same unit, or null
 * @param ratio     how many times better ours is (reference / value for times, value / reference for rates), or null
 * @param target    the target on the value or, for ratio targets, on the ratio; null where the issue sets none
 * @param onRatio   whether {@code target} applies to the ratio
 * @param note      how it was measured, in a few words
 */
public record Figure(String section, String name, double value, String unit, Double reference, Double ratio,
                     Target target, boolean onRatio, String note) {

    public static Figure of(String section, String name, double value, String unit, String note) {
        return new Figure(section, name, value, unit, null, null, null, false, note);
    }

    /** Against a peer figure where smaller is better (seconds, milliseconds). */
    public Figure againstTime(double referenceValue) {
        return new Figure(section, name, value, unit, referenceValue, value == 0 ? null : referenceValue / value,
                target, onRatio, note);
    }

    /** Against a peer figure where larger is better (requests per second). */
    public Figure againstRate(double referenceValue) {
        return new Figure(section, name, value, unit, referenceValue, referenceValue == 0 ? null : value / referenceValue,
                target, onRatio, note);
    }

    public Figure withTarget(Target newTarget) {
        return new Figure(section, name, value, unit, reference, ratio, newTarget, false, note);
    }

    public Figure withRatioTarget(Target newTarget) {
        return new Figure(section, name, value, unit, reference, ratio, newTarget, true, note);
    }

    /** Met, missed, or null when there is no target (or no ratio to judge). */
    public Boolean met() {
        if (target == null) {
            return null;
        }
        if (onRatio) {
            return ratio == null ? null : target.met(ratio);
        }
        return target.met(value);
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        if (magnitude >= 1) {
            return String.format(Locale.ROOT, "%.2f", value);
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
