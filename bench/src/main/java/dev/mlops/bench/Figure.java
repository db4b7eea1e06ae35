package dev.mlops.bench;

import java.util.Locale;

/**
 * One measured figure: its value, optionally the peer's figure measured alongside (with our/their ratio oriented so
 * that more is better) and the target with whether it was met.
 *
 * @param reference the peer's value in the same unit, or null
 * @param ratio     how many times better ours is (reference / value for times, value / reference for rates), or null
 * @param target    the target on the value, the ratio or the difference to the reference; null where the issue sets none
 * @param targetOn  what {@code target} judges
 * @param note      how it was measured, in a few words
 */
public record Figure(String section, String name, double value, String unit, Double reference, Double ratio,
                     Target target, TargetOn targetOn, String note) {

    /** What a target judges: the value, the ratio to the reference, or the distance |value - reference|. */
    public enum TargetOn {
        VALUE, RATIO, DIFFERENCE
    }

    public static Figure of(String section, String name, double value, String unit, String note) {
        return new Figure(section, name, value, unit, null, null, null, TargetOn.VALUE, note);
    }

    /** Against a peer figure where smaller is better (seconds, milliseconds). */
    public Figure againstTime(double referenceValue) {
        return new Figure(section, name, value, unit, referenceValue, value == 0 ? null : referenceValue / value,
                target, targetOn, note);
    }

    /** Against a peer figure where larger is better (requests per second). */
    public Figure againstRate(double referenceValue) {
        return new Figure(section, name, value, unit, referenceValue, referenceValue == 0 ? null : value / referenceValue,
                target, targetOn, note);
    }

    public Figure withTarget(Target newTarget) {
        return new Figure(section, name, value, unit, reference, ratio, newTarget, TargetOn.VALUE, note);
    }

    public Figure withRatioTarget(Target newTarget) {
        return new Figure(section, name, value, unit, reference, ratio, newTarget, TargetOn.RATIO, note);
    }

    /** A target on how far the value is from the reference, either way (a metric that should match its peer's). */
    public Figure withDifferenceTarget(Target newTarget) {
        return new Figure(section, name, value, unit, reference, ratio, newTarget, TargetOn.DIFFERENCE, note);
    }

    /** Met, missed, or null when there is no target (or no ratio to judge). */
    public Boolean met() {
        if (target == null) {
            return null;
        }
        return switch (targetOn) {
            case VALUE -> target.met(value);
            case RATIO -> ratio == null ? null : target.met(ratio);
            case DIFFERENCE -> reference == null ? null : target.met(Math.abs(value - reference));
        };
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
