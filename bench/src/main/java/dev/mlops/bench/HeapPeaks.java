package dev.mlops.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The largest heap each stage service used while a run went on: its {@code /q/metrics} polled every
 * {@value #POLL_MILLIS} ms, {@code jvm_memory_used_bytes{area="heap"}} summed over the pools. Used heap includes
 * garbage not yet collected, so the peak is what the heap had to hold at most, bounded by -Xmx; the peak of
 * {@code jvm_gc_live_data_size_bytes} (old generation after a collection) is what stayed live.
 */
final class HeapPeaks implements AutoCloseable {

    static final int POLL_MILLIS = 100;
    private static final double MIB = 1024.0 * 1024;
    private static final Pattern HEAP_USED = Pattern.compile(
            "^jvm_memory_used_bytes\\{[^}]*area=\"heap\"[^}]*} ([0-9.eE+-]+)", Pattern.MULTILINE);
    private static final Pattern LIVE = Pattern.compile(
            "^jvm_gc_live_data_size_bytes(?:\\{[^}]*})? ([0-9.eE+-]+)", Pattern.MULTILINE);

    /** Peak used heap and peak live data after GC of one service, in MiB (as -Xmx counts); NaN where never read. */
    record Peak(double usedMb, double liveMb) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Map<String, URI> metrics;
    private final Map<String, double[]> peaks = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean stopped;

    /** Starts polling {@code metrics} (stage to its service's /q/metrics URL). */
    HeapPeaks(Map<String, URI> metrics) {
        this.metrics = new LinkedHashMap<>(metrics);
        metrics.keySet().forEach(stage -> peaks.put(stage, new double[] {Double.NaN, Double.NaN}));
        poller = new Thread(this::poll, "heap-peaks");
        poller.setDaemon(true);
        poller.start();
    }

    private void poll() {
        while (!stopped) {
            metrics.forEach((stage, url) -> {
                String text = scrape(url);
                if (text != null) {
                    record(stage, 0, heapUsedBytes(text));
                    record(stage, 1, sum(LIVE.matcher(text)));
                }
            });
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void record(String stage, int which, double bytes) {
        if (Double.isNaN(bytes)) {
            return;
        }
        double[] peak = peaks.get(stage);
        synchronized (peak) {
            if (Double.isNaN(peak[which]) || bytes > peak[which]) {
                peak[which] = bytes;
            }
        }
    }

    private String scrape(URI url) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? response.body() : null;
        } catch (IOException e) {
            return null; // a service busy in a full GC, or restarting: the next poll reads it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** The used heap in a Prometheus scrape: jvm_memory_used_bytes of every heap pool; NaN when absent. */
    static double heapUsedBytes(String metricsText) {
        return sum(HEAP_USED.matcher(metricsText));
    }

    private static double sum(Matcher matcher) {
        double sum = Double.NaN;
        while (matcher.find()) {
            double value = Double.parseDouble(matcher.group(1));
            sum = Double.isNaN(sum) ? value : sum + value;
        }
        return sum;
    }

    /** Stops polling; the peaks per stage, in MB. */
    Map<String, Peak> stop() {
        close();
        Map<String, Peak> result = new LinkedHashMap<>();
        metrics.keySet().forEach(stage -> {
            double[] peak = peaks.get(stage);
            synchronized (peak) {
                result.put(stage, new Peak(peak[0] / MIB, peak[1] / MIB));
            }
        });
        return result;
    }

    @Override
    public void close() {
        stopped = true;
        poller.interrupt();
        try {
            poller.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
