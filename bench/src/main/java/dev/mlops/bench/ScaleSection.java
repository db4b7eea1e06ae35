package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.cli.JvmOptions;
import dev.mlops.common.json.Json;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Issue 15's cost curve: for each size of {@code --scale-rows}, scikit-learn's {@code make_classification}
 * (20 features, random_state 42) through the whole pipeline with a small grid (n_estimators [100], max_depth
 * [10, None], cv 3), each stage's wall time and peak heap ({@link HeapPeaks}), and the grid search next to
 * scikit-learn's GridSearchCV on the same split, run after ours. Above {@value #MAX_DEPLOYED_ROWS} rows nothing is
 * deployed (image and deploy would only measure a bigger model file). From the second size on, the growth of each
 * stage's time per 10x rows.
 */
final class ScaleSection implements Section {

    static final String NAME = "scale";
    static final int MAX_DEPLOYED_ROWS = 100_000;
    static final int FEATURES = 20;
    static final int CV = 3;
    static final JsonNode GRID = Json.tree("""
            {"n_estimators": [100], "max_depth": [10, null], "min_samples_split": [2], "min_samples_leaf": [1]}""");
    /** The stage services whose heap is polled, with their default ports (the CLI's). */
    static final Map<String, Integer> STAGE_PORTS = stagePorts();

    /** One size's outcome: the run, its stages' seconds and heap peaks, scikit-learn's figures (null if not run). */
    record Measured(int rows, PipelineRuns.Finished run, Map<String, Double> stageSeconds,
                    Map<String, HeapPeaks.Peak> heap, JsonNode sklearn) {
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        List<Integer> sizes = context.options().scaleRows();
        context.say("sizes %s (the full curve: --only scale --scale-rows 10000,100000,1000000); nothing deployed above"
                + " %,d rows", sizes, MAX_DEPLOYED_ROWS);
        SklearnModels sklearn = new SklearnModels(context.home(), context.workDir().resolve("scale"));
        // not counted: a freshly started train-svc's first grid search pays for class loading and JIT
        context.runs().runToSuccess(Specs.TINY);

        List<Figure> figures = new ArrayList<>();
        List<Measured> measured = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (int rows : sizes) {
            Path csv = context.workDir().resolve("scale").resolve("classification-" + rows + ".csv");
            JsonNode made = sklearn.makeClassification(rows, csv);
            String uri = context.runs().tracking().uploadDataset(csv).path("uri").asText();
            context.say("%,d rows: make_classification %.1f s, %.0f MB, uploaded as %s", rows,
                    made.path("seconds").asDouble(), made.path("bytes").asDouble() / 1e6, uri);
            Map<String, URI> metrics = new LinkedHashMap<>();
            STAGE_PORTS.forEach((stage, port) -> metrics.put(stage,
                    context.stack().serviceUrl(stage, port).resolve("/q/metrics")));
            PipelineRuns.Finished run;
            Map<String, HeapPeaks.Peak> heap;
            try (HeapPeaks peaks = new HeapPeaks(metrics)) {
                run = context.runs().run(spec(rows, uri), timeout(rows));
                heap = peaks.stop();
            }
            Map<String, Double> seconds = run.stageSeconds();
            context.say("%,d rows: run %s %s in %.1f s; %s", rows, run.runId(), run.status(), run.wallSeconds(),
                    describe(seconds, heap));
            JsonNode theirs = null;
            if (run.succeeded()) {
                theirs = sklearn.fit("fit-" + rows, csv, "classification", "random_forest", GRID, CV, timeout(rows));
                context.say("%,d rows: grid search %.1f s (refit %.1f s), scikit-learn %.1f s (refit %.1f s); test"
                                + " accuracy %.4f, scikit-learn %.4f", rows, run.metric("grid_search_seconds"),
                        run.metric("refit_seconds"), theirs.path("grid_search_seconds").asDouble(),
                        theirs.path("refit_seconds").asDouble(), run.metric("accuracy"),
                        theirs.path("accuracy").asDouble());
            } else {
                failures.add(String.format(Locale.ROOT, "%,d rows: %s (%s)", rows, run.status(), run.describeFailure()));
                context.say("%,d rows: FAILED: %s", rows, run.describeFailure());
            }
            Measured size = new Measured(rows, run, seconds, heap, theirs);
            figures.addAll(figures(size));
            if (!measured.isEmpty() && run.succeeded()) {
                figures.addAll(growth(measured.get(measured.size() - 1), size));
            }
            if (run.succeeded()) {
                measured.add(size);
            }
        }
        if (!failures.isEmpty()) {
            throw new PartlyMeasured(String.join("; ", failures), figures);
        }
        return figures;
    }

    static String spec(int rows, String datasetUri) {
        ObjectNode spec = Json.mapper().createObjectNode();
        spec.put("name", "bench-scale-" + rows);
        spec.putObject("dataset").put("uri", datasetUri);
        spec.put("target", ModelComparison.TARGET);
        spec.put("task", "classification");
        ObjectNode features = spec.putObject("features");
        for (int f = 0; f < FEATURES; f++) {
            features.withArray("numeric").add("f" + f);
        }
        features.putArray("categorical");
        ObjectNode model = spec.putObject("model");
        model.put("name", "bench-scale");
        model.put("type", "random_forest");
        model.put("cv", CV);
        model.set("grid", GRID.deepCopy());
        spec.putObject("gate").put("minAccuracy", 0.5);
        spec.putObject("deploy").put("target", rows <= MAX_DEPLOYED_ROWS ? "local" : "none");
        return spec.toString();
    }

    /** Ten minutes, plus an hour per million rows. */
    static Duration timeout(int rows) {
        return Duration.ofMinutes(10 + (long) Math.ceil(rows / 1_000_000.0 * 60));
    }

    private static List<Figure> figures(Measured size) {
        String label = String.format(Locale.ROOT, "%,d rows", size.rows());
        List<Figure> figures = new ArrayList<>();
        String runNote = "run " + size.run().runId() + " " + size.run().status()
                + (size.run().succeeded() ? "" : ": " + size.run().describeFailure());
        if (size.run().succeeded()) {
            figures.add(Figure.of(NAME, label + ": pipeline, POST to end", size.run().wallSeconds(), "s", runNote));
        }
        size.stageSeconds().forEach((stage, seconds) -> figures.add(
                Figure.of(NAME, label + ": " + stage + " wall time", seconds, "s", "tracking's startedAt -> finishedAt")));
        size.heap().forEach((stage, peak) -> {
            if (!Double.isNaN(peak.usedMb())) {
                figures.add(Figure.of(NAME, label + ": " + stage + " peak heap used", peak.usedMb(), "MiB",
                        String.format(Locale.ROOT, "of %s, /q/metrics every %d ms; peak live after GC %s MiB",
                                JvmOptions.maxHeap(stage + "-svc"), HeapPeaks.POLL_MILLIS,
                                Figure.number(peak.liveMb()))));
            }
        });
        if (size.sklearn() != null) {
            // GridSearchCV.fit's time includes its refit: ours is grid_search_seconds + refit_seconds (as ModelComparison)
            String same = String.format(Locale.ROOT, "train-svc's grid_search_seconds + refit_seconds vs GridSearchCV.fit"
                            + " (2 candidates x %d folds + refit), %d training rows, same split and scaling,"
                            + " scikit-learn %s n_jobs=-1, run after ours", CV,
                    size.sklearn().path("train_size").asInt(), size.sklearn().path("sklearn_version").asText());
            double ours = size.run().metric("grid_search_seconds") + size.run().metric("refit_seconds");
            figures.add(Figure.of(NAME, label + ": grid search + refit", ours, "s", same)
                    .againstTime(size.sklearn().path("grid_search_seconds").asDouble())
                    .withRatioTarget(Target.atLeast(2, "x")));
            figures.add(Figure.of(NAME, label + ": test accuracy", size.run().metric("accuracy"), "",
                    size.sklearn().path("test_size").asInt() + " test rows").againstRate(
                    size.sklearn().path("accuracy").asDouble()));
        }
        return figures;
    }

    /** Per stage and for the whole run: how many times longer per 10x rows, from {@code smaller} to {@code larger}. */
    static List<Figure> growth(Measured smaller, Measured larger) {
        double decades = Math.log10((double) larger.rows() / smaller.rows());
        String span = String.format(Locale.ROOT, "%,d -> %,d rows", smaller.rows(), larger.rows());
        List<Figure> figures = new ArrayList<>();
        Map<String, Double> before = new LinkedHashMap<>(smaller.stageSeconds());
        Map<String, Double> after = new LinkedHashMap<>(larger.stageSeconds());
        before.put("pipeline", smaller.run().wallSeconds());
        after.put("pipeline", larger.run().wallSeconds());
        if (smaller.sklearn() != null && larger.sklearn() != null) {
            before.put("scikit-learn grid search", smaller.sklearn().path("grid_search_seconds").asDouble());
            after.put("scikit-learn grid search", larger.sklearn().path("grid_search_seconds").asDouble());
        }
        after.forEach((stage, seconds) -> {
            Double was = before.get(stage);
            if (was != null && was > 0 && decades > 0) {
                figures.add(Figure.of(NAME, "growth per 10x rows: " + stage + ", " + span,
                        growthPerDecade(was, seconds, decades), "x", String.format(Locale.ROOT,
                                "%.1f s -> %.1f s (linear: 10x)", was, seconds)));
            }
        });
        return figures;
    }

    /** (after / before) ^ (1 / decades): the time ratio per 10x rows. */
    static double growthPerDecade(double before, double after, double decades) {
        return Math.pow(after / before, 1 / decades);
    }

    private static String describe(Map<String, Double> seconds, Map<String, HeapPeaks.Peak> heap) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((stage, s) -> {
            HeapPeaks.Peak peak = heap.get(stage);
            parts.add(String.format(Locale.ROOT, "%s %.1f s%s", stage, s, peak == null || Double.isNaN(peak.usedMb())
                    ? "" : String.format(Locale.ROOT, " (heap peak %.0f MiB)", peak.usedMb())));
        });
        heap.forEach((stage, peak) -> {
            if (!seconds.containsKey(stage) && !Double.isNaN(peak.usedMb())) {
                parts.add(String.format(Locale.ROOT, "%s not completed (heap peak %.0f MiB)", stage, peak.usedMb()));
            }
        });
        return String.join(", ", parts);
    }

    private static Map<String, Integer> stagePorts() {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ports.put("ingest", 8081);
        ports.put("preprocess", 8082);
        ports.put("train", 8083);
        ports.put("evaluate", 8084);
        return ports;
    }
}
