package dev.mlops.testing;

/** Reads one sample out of a /q/metrics page (Prometheus text format). */
public final class PrometheusText {

    private PrometheusText() {
    }

    /** The value of {@code series} (name and labels exactly as exported); fails when the page does not have it. */
    public static double sample(String metrics, String series) {
        return metrics.lines().filter(line -> line.startsWith(series + " ")).findFirst()
                .map(line -> Double.parseDouble(line.substring(series.length() + 1).trim()))
                .orElseThrow(() -> new AssertionError("no sample " + series + " in /q/metrics"));
    }
}
