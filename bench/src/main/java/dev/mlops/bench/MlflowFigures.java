package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 13's figures through the MLflow REST API, beside MLflow's published ones: log-batch of 1,000 metrics,
 * metrics logged per second, runs/get of a run with 15,000 points, and runs/search with a metric filter and an
 * order over {@code --search-runs} runs, stored through the API (runs/create + one log-batch each) in an experiment
 * that later bench runs top up rather than refill.
 */
final class MlflowFigures {

    static final String API = "/api/2.0/mlflow/";
    static final String SEARCH_EXPERIMENT = "bench-mlflow-search";
    static final String LOGGING_EXPERIMENT = "bench-mlflow-logging";
    /** The experiment tag that counts the runs the fill stored (set after each fill). */
    static final String FILLED_TAG = "mlops.bench.filled_runs";
    static final List<String> FILL_METRICS = List.of("accuracy", "loss", "f1", "auc", "precision");
    static final int FILL_THREADS = 8;
    static final int HISTORY_POINTS = 15_000;
    static final int SEARCH_PAGE = 100;
    static final String SEARCH_FILTER = "metrics.accuracy > 0.5";

    private final TrackingClient tracking;
    private final URI base;
    private final TrackingRequests requests;
    private final HttpLoad http = new HttpLoad();

    MlflowFigures(TrackingClient tracking, URI base, TrackingRequests requests) {
        this.tracking = tracking;
        this.base = base;
        this.requests = requests;
    }

    List<Figure> measure(BenchContext context) throws Exception {
        String section = TrackingSection.NAME;
        List<Figure> figures = new ArrayList<>();
        String logging = experiment(LOGGING_EXPERIMENT);

        String batchRun = createRun(logging);
        URI logBatch = base.resolve(API + "runs/log-batch");
        http.latencies(20, i -> requests.post(logBatch, batch(batchRun, "warm_up", i, TrackingSection.BATCH)));
        Percentiles batchLatency = Percentiles.of(http.latencies(TrackingSection.SAMPLES,
                i -> requests.post(logBatch, batch(batchRun, "latency", i, TrackingSection.BATCH))));
        context.say("MLflow runs/log-batch of 1,000 metrics: p50 %.1f ms, p99 %.1f ms", batchLatency.median(),
                batchLatency.at(99));
        String batchHow = String.format(Locale.ROOT, "%d requests one at a time, 1,000 points each, to one run;"
                + " MLflow's server (published): 1.2 s for 500 metrics", TrackingSection.SAMPLES);
        figures.add(Figure.of(section, "MLflow runs/log-batch, 1,000 metrics p50", batchLatency.median(), "ms", batchHow)
                .againstTime(1200).withTarget(Target.below(30, "ms")));
        figures.add(Figure.of(section, "MLflow runs/log-batch, 1,000 metrics p99", batchLatency.at(99), "ms", batchHow));

        String loadRun = createRun(logging);
        HttpLoad.Result load = http.closedLoop(TrackingSection.THREADS, TrackingSection.LOAD,
                i -> requests.post(logBatch, batch(loadRun, "load", i, TrackingSection.BATCH)));
        double perSecond = load.perSecond() * TrackingSection.BATCH;
        context.say("MLflow runs/log-batch from %d threads: %.0f metrics/s (%d errors%s)", TrackingSection.THREADS,
                perSecond, load.errors(), load.firstError() == null ? "" : ", first: " + load.firstError());
        figures.add(Figure.of(section, "metrics logged/s, MLflow runs/log-batch of 1,000", perSecond, "metrics/s",
                String.format(Locale.ROOT, "%d client threads for %d s, one run; before this issue 2,962/s (the same"
                        + " loop on POST /pipelines/{id}/log-batch)", TrackingSection.THREADS,
                        TrackingSection.LOAD.toSeconds())).withTarget(Target.atLeast(50_000, " metrics/s")));

        String historyRun = createRun(logging);
        for (int i = 0; i < HISTORY_POINTS / TrackingSection.BATCH; i++) {
            tracking.post(API + "runs/log-batch", batch(historyRun, "history", i, TrackingSection.BATCH), 200);
        }
        URI get = base.resolve(API + "runs/get?run_id=" + historyRun);
        http.latencies(20, i -> requests.get(get));
        Percentiles runGet = Percentiles.of(http.latencies(TrackingSection.SAMPLES, i -> requests.get(get)));
        context.say("MLflow runs/get of a run with %,d points: p50 %.1f ms, p99 %.1f ms", HISTORY_POINTS,
                runGet.median(), runGet.at(99));
        String getHow = String.format(Locale.ROOT, "%d requests one at a time, a run with %,d points (10 keys);"
                + " before this issue GET /pipelines/{id} took 130 ms", TrackingSection.SAMPLES, HISTORY_POINTS);
        figures.add(Figure.of(section, "MLflow runs/get, 15,000 metric points p50", runGet.median(), "ms", getHow)
                .withTarget(Target.below(20, "ms")));
        figures.add(Figure.of(section, "MLflow runs/get, 15,000 metric points p99", runGet.at(99), "ms", getHow));

        String searched = experiment(SEARCH_EXPERIMENT);
        long stored = fill(context, searched, figures);
        for (Map.Entry<String, String> search : List.of(
                Map.entry("metrics.accuracy DESC", "metric filter + order"),
                Map.entry("metrics.loss ASC", "filter on one metric, order by another"))) {
            String body = Json.write(Map.of("experiment_ids", List.of(searched), "filter", SEARCH_FILTER,
                    "order_by", List.of(search.getKey()), "max_results", SEARCH_PAGE));
            URI uri = base.resolve(API + "runs/search");
            JsonNode first = tracking.post(API + "runs/search", body, 200);
            if (first.path("runs").size() != SEARCH_PAGE || !first.has("next_page_token")) {
                throw new IllegalStateException("runs/search answered " + first.path("runs").size()
                        + " runs, expected a full first page of " + SEARCH_PAGE + " and a next page");
            }
            http.latencies(20, i -> requests.post(uri, body));
            Percentiles p = Percentiles.of(http.latencies(TrackingSection.SAMPLES, i -> requests.post(uri, body)));
            context.say("MLflow runs/search, %s (%s): p50 %.1f ms, p99 %.1f ms", search.getValue(), search.getKey(),
                    p.median(), p.at(99));
            String how = String.format(Locale.ROOT, "filter \"%s\", order_by \"%s\", first page of %d, %d requests one"
                    + " at a time, %,d runs in the experiment", SEARCH_FILTER, search.getKey(), SEARCH_PAGE,
                    TrackingSection.SAMPLES, stored);
            String name = "MLflow runs/search, " + search.getValue();
            if (search.getKey().startsWith("metrics.accuracy")) {
                figures.add(Figure.of(section, name + " p50", p.median(), "ms", how + "; MLflow (published): 1,004 ms"
                        + " over 23,500 runs, its Go rewrite 104 ms").againstTime(1004).withTarget(Target.below(50, "ms")));
            } else {
                figures.add(Figure.of(section, name + " p50", p.median(), "ms", how));
            }
            figures.add(Figure.of(section, name + " p99", p.at(99), "ms", how));
        }
        return figures;
    }

    /**
     * Tops the experiment up to {@code --search-runs} runs, each with one log-batch of 5 metrics and a param, from
     * {@link #FILL_THREADS} client threads; the number stored so far lives in the experiment's tag.
     *
     * @return the runs stored
     */
    private long fill(BenchContext context, String experimentId, List<Figure> figures) throws Exception {
        JsonNode experiment = tracking.get(API + "experiments/get?experiment_id=" + experimentId).path("experiment");
        long filled = 0;
        for (JsonNode tag : experiment.path("tags")) {
            if (tag.path("key").asText().equals(FILLED_TAG)) {
                filled = tag.path("value").asLong();
            }
        }
        int wanted = context.options().searchRuns();
        if (filled >= wanted) {
            context.say("%,d MLflow runs stored in %s (filled earlier)", filled, SEARCH_EXPERIMENT);
            return filled;
        }
        int missing = (int) (wanted - filled);
        context.say("%,d MLflow runs stored in %s; storing %,d more (runs/create + log-batch each, %d threads)...",
                filled, SEARCH_EXPERIMENT, missing, FILL_THREADS);
        long start = System.nanoTime();
        ParallelFill.run(FILL_THREADS, missing, n -> {
            String runId = createRun(experimentId);
            tracking.post(API + "runs/log-batch", fillBatch(runId, n), 200);
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        long total = filled + missing;
        tracking.post(API + "experiments/set-experiment-tag", Json.write(Map.of("experiment_id", experimentId,
                "key", FILLED_TAG, "value", Long.toString(total))), 200);
        context.say("stored %,d runs in %.0f s (%.0f runs/s)", missing, seconds, missing / seconds);
        figures.add(Figure.of(TrackingSection.NAME, "MLflow runs stored/s (runs/create + log-batch)", missing / seconds,
                "runs/s", String.format(Locale.ROOT, "%,d runs from %d client threads in %.0f s, 5 metrics and a param"
                        + " each; %,d runs stored in all", missing, FILL_THREADS, seconds, total)));
        return total;
    }

    private String experiment(String name) {
        try {
            return tracking.get(API + "experiments/get-by-name?experiment_name=" + name).path("experiment")
                    .path("experiment_id").asText();
        } catch (TrackingException e) {
            if (e.status() != 404) {
                throw e;
            }
            return tracking.post(API + "experiments/create", Json.write(Map.of("name", name)), 200)
                    .path("experiment_id").asText();
        }
    }

    private String createRun(String experimentId) {
        return tracking.post(API + "runs/create", Json.write(Map.of("experiment_id", experimentId,
                "start_time", System.currentTimeMillis())), 200).path("run").path("info").path("run_id").asText();
    }

    /** One run's log-batch of the fill: 5 metrics with values spread over [0, 1), a param. */
    static String fillBatch(String runId, int n) {
        StringBuilder json = new StringBuilder("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        long now = System.currentTimeMillis();
        for (int k = 0; k < FILL_METRICS.size(); k++) {
            double value = ((n * 7919L + k * 104_729L) % 10_007) / 10_007.0;
            json.append(k == 0 ? "" : ",").append("{\"key\":\"").append(FILL_METRICS.get(k)).append("\",\"value\":")
                    .append(value).append(",\"timestamp\":").append(now).append(",\"step\":0}");
        }
        return json.append("],\"params\":[{\"key\":\"model\",\"value\":\"").append(n % 2 == 0 ? "rf" : "gbm")
                .append("\"}]}").toString();
    }

    /**
     * A log-batch of {@code count} points over 10 keys (prefix_0 ... prefix_9), at steps no other request with
     * this prefix uses, with MLflow's required timestamps.
     */
    static String batch(String runId, String prefix, int request, int count) {
        StringBuilder json = new StringBuilder("{\"run_id\":\"").append(runId).append("\",\"metrics\":[");
        long now = System.currentTimeMillis();
        for (int i = 0; i < count; i++) {
            long step = (long) request * count / 10 + i / 10;
            json.append(i == 0 ? "" : ",").append("{\"key\":\"").append(prefix).append('_').append(i % 10)
                    .append("\",\"value\":").append(step % 997 / 997.0).append(",\"timestamp\":").append(now)
                    .append(",\"step\":").append(step).append('}');
        }
        return json.append("]}").toString();
    }
}
