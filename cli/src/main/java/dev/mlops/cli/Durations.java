package dev.mlops.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as the user types them ({@code 90s}, {@code 30m}, {@code 1h}) and as the CLI prints them. */
final class Durations {

    private static final Pattern INPUT = Pattern.compile("(\\d+)\\s*([smh])");

    private Durations() {
    }

    static Duration parse(String option, String text) {
        Matcher m = INPUT.matcher(text.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) == 0) {
            throw new UsageException(option + " expects a positive duration with a unit, such as 90s, 30m or 1h; got '"
                    + text + "'");
        }
        long amount = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
    }

    /** {@code 0.8 s}, {@code 12 s}, {@code 3m 05s}, {@code 1h 02m}. */
    static String format(Duration d) {
        long millis = d.toMillis();
        if (millis < 10_000) {
            return String.format("%.1f s", millis / 1000.0);
        }
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
