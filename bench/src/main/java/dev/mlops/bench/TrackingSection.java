package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.tracking.TrackingClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * tracking-svc's API: metrics logged per second through log-batch (one metric per request, and full batches of
 * 1,000), and GET /pipelines latency once the store holds {@code --tracking-runs} runs (topped up through
 * POST /pipelines with a run that fails at ingest at once); then issue 13's figures through the MLflow API
 * ({@link MlflowFigures}).
 */
final class TrackingSection implements Section {

    static final String NAME = "tracking";
    static final int THREADS = 4;
    static final Duration LOAD = Duration.ofSeconds(10);
    static final int BATCH = 1000;
    static final int SAMPLES = 300;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        TrackingClient tracking = context.stack().tracking();
        URI base = context.stack().trackingUrl();
        HttpLoad http = new HttpLoad();
        TrackingRequests requests = new TrackingRequests(context.stack().apiToken());
        List<Figure> figures = new ArrayList<>();

        String runId = tracking.startPipeline(Specs.FILL);
        URI logBatch = base.resolve("/pipelines/" + runId + "/log-batch");
        HttpLoad.Result single = http.closedLoop(THREADS, LOAD, i -> requests.post(logBatch, metrics("bench_single", i, 1)));
        context.say("log-batch, 1 metric per request: %.0f metrics/s (%d errors%s)", single.perSecond(),
                single.errors(), single.firstError() == null ? "" : ", first: " + single.firstError());
        HttpLoad.Result batch = http.closedLoop(THREADS, LOAD, i -> requests.post(logBatch, metrics("bench_batch", i, BATCH)));
        context.say("log-batch, %d metrics per request: %.0f metrics/s (%d errors%s)", BATCH, batch.perSecond() * BATCH,
                batch.errors(), batch.firstError() == null ? "" : ", first: " + batch.firstError());
        String loadHow = String.format(Locale.ROOT, "POST /pipelines/{id}/log-batch from %d client threads for %d s",
                THREADS, LOAD.toSeconds());
        figures.add(Figure.of(NAME, "metrics logged/s, one per request", single.perSecond(), "metrics/s", loadHow));
        figures.add(Figure.of(NAME, "metrics logged/s, 1,000 per request", batch.perSecond() * BATCH, "metrics/s",
                loadHow));

        long stored = tracking.get("/pipelines?size=1").path("total").asLong();
        int wanted = context.options().trackingRuns();
        if (stored < wanted) {
            int missing = (int) (wanted - stored);
            context.say("%d runs stored; starting %d more (spec name bench-fill, fails at ingest)...", stored, missing);
            long start = System.nanoTime();
            List<String> started = fill(tracking, missing);
            double seconds = (System.nanoTime() - start) / 1e9;
            figures.add(Figure.of(NAME, "runs started/s, POST /pipelines", missing / seconds, "runs/s",
                    String.format(Locale.ROOT, "%d runs from %d client threads (run recorded + request event acked)",
                            missing, THREADS * 2)));
            long drainStart = System.nanoTime();
            // every client thread's last runs: once they ended, ingest and tracking have caught up
            started.subList(Math.max(0, started.size() - THREADS * 4), started.size()).forEach(id -> awaitEnd(tracking, id));
            context.say("started %d runs in %.0f s; the platform finished them %.0f s later", missing, seconds,
                    (System.nanoTime() - drainStart) / 1e9);
        }
        long total = tracking.get("/pipelines?size=1").path("total").asLong();
        long middlePage = total / 2 / 20;
        for (Map.Entry<String, String> page : List.of(Map.entry("GET /pipelines (newest 20)", "/pipelines"),
                Map.entry("GET /pipelines, the middle page of 20", "/pipelines?size=20&page=" + middlePage))) {
            URI uri = base.resolve(page.getValue());
            http.latencies(20, i -> requests.get(uri));  // warm-up
            Percentiles p = Percentiles.of(http.latencies(SAMPLES, i -> requests.get(uri)));
            String how = String.format(Locale.ROOT, "%s: %d requests one at a time, %,d runs stored; p99 %.1f ms",
                    page.getValue(), SAMPLES, total, p.at(99));
            context.say("%s: p50 %.1f ms, p99 %.1f ms", page.getKey(), p.median(), p.at(99));
            figures.add(Figure.of(NAME, page.getKey() + " p50", p.median(), "ms", how));
            figures.add(Figure.of(NAME, page.getKey() + " p99", p.at(99), "ms", how));
        }
        URI one = base.resolve("/pipelines/" + runId);
        Percentiles p = Percentiles.of(http.latencies(SAMPLES, i -> requests.get(one)));
        figures.add(Figure.of(NAME, "GET /pipelines/{runId} p50", p.median(), "ms", String.format(Locale.ROOT,
                "%d requests one at a time, a run with %,d logged metric points; p99 %.1f ms", SAMPLES,
                single.requests() + batch.requests() * BATCH, p.at(99))));
        figures.addAll(new MlflowFigures(tracking, base, requests).measure(context));
        return figures;
    }

    /** The ids of the runs started, in the order their POSTs answered. */
    private static List<String> fill(TrackingClient tracking, int count) throws Exception {
        List<String> started = Collections.synchronizedList(new ArrayList<>());
        ParallelFill.run(THREADS * 2, count, n -> started.add(tracking.startPipeline(Specs.FILL)));
        return started;
    }

    /** Waits until the run has ended (FAILED at ingest, as tracking recorded it). */
    private static void awaitEnd(TrackingClient tracking, String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(20).toNanos();
        JsonNode run = tracking.run(runId);
        while (run.path("status").asText().equals("RUNNING")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " still RUNNING 20 min after it was started");
            }
            PipelineRuns.sleep(Duration.ofSeconds(1));
            run = tracking.run(runId);
        }
    }

    /** A log-batch body of {@code count} points, at steps that no other request of this run uses. */
    static String metrics(String key, int request, int count) {
        StringBuilder json = new StringBuilder("{\"metrics\":[");
        for (int i = 0; i < count; i++) {
            if (i > 0) {
                json.append(',');
            }
            long step = (long) request * count + i;
            json.append("{\"key\":\"").append(key).append("\",\"value\":").append(step % 997 / 997.0)
                    .append(",\"step\":").append(step).append('}');
        }
        return json.append("]}").toString();
    }
}
