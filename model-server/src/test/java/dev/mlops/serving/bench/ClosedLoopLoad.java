package dev.mlops.serving.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stand-in for wrk when it is not installed: {@code connections} threads, each sending the next body as soon
 * as the previous answer arrived (closed loop), for {@code seconds}. Answers in wrk_post.lua's summary shape.
 */
final class ClosedLoopLoad {

    private ClosedLoopLoad() {
    }

    static JsonNode run(URI uri, List<String> bodies, double seconds, int connections) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<HttpRequest> requests = bodies.stream().filter(b -> !b.isBlank()).map(body -> HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build()).toList();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        AtomicLong errors = new AtomicLong();
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            long[][] mine = {new long[1 << 16]};
            int[] count = {0};
            int first = c;
            Thread thread = new Thread(() -> {
                int next = first;
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> response = client.send(requests.get(next++ % requests.size()),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    if (count[0] == mine[0].length) {
                        mine[0] = Arrays.copyOf(mine[0], count[0] * 2);
                    }
                    mine[0][count[0]++] = System.nanoTime() - t0;
                }
                synchronized (latencies) {
                    latencies.add(Arrays.copyOf(mine[0], count[0]));
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMapToLong(Arrays::stream).sorted().toArray();
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("mean", Arrays.stream(all).average().orElse(0) / 1e6);
        latency.put("max", all.length == 0 ? 0 : all[all.length - 1] / 1e6);
        for (double p : new double[] {50, 75, 90, 99}) {
            latency.put("p" + (int) p, all.length == 0 ? 0 : all[Math.min(all.length - 1, (int) (all.length * p / 100))] / 1e6);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("requests", all.length);
        summary.put("duration_s", elapsed);
        summary.put("requests_per_s", all.length / elapsed);
        summary.put("errors", Map.of("status", errors.get()));
        summary.put("latency_ms", latency);
        return new ObjectMapper().valueToTree(summary);
    }
}
