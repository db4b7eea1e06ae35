package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Twenty pipelines started at once (a small grid, nothing deployed): how long until every one has ended, each
 * run's own wall time, and whether all SUCCEEDED with artifacts of their own.
 */
final class LoadSection implements Section {

    static final String NAME = "load";
    static final int PIPELINES = 20;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) {
        long start = System.nanoTime();
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < PIPELINES; i++) {
            runIds.add(context.runs().tracking().startPipeline(Specs.SMALL_GRID));
        }
        List<Double> walls = new ArrayList<>();
        Set<String> models = new HashSet<>();
        int succeeded = 0;
        for (String runId : runIds) {
            JsonNode run = awaitEnd(context, runId);
            walls.add(PipelineRuns.between(run, "createdAt", "finishedAt"));
            if (run.path("status").asText().equals("SUCCEEDED")) {
                succeeded++;
                models.add(run.path("artifacts").path("model/model.bin").asText());
            }
        }
        double all = (System.nanoTime() - start) / 1e9;
        context.say("%d pipelines at once: %d SUCCEEDED, %d distinct models, all ended after %.1f s", PIPELINES,
                succeeded, models.size(), all);
        Percentiles each = Percentiles.of(walls);
        return List.of(
                Figure.of(NAME, PIPELINES + " pipelines at once: all ended", all, "s", String.format(Locale.ROOT,
                        "%d of %d SUCCEEDED with %d distinct model artifacts; spec %s", succeeded, PIPELINES,
                        models.size(), Specs.SMALL_GRID.replaceAll("\\s+", " "))),
                Figure.of(NAME, "one run of the " + PIPELINES + " (median)", each.median(), "s",
                        "createdAt -> finishedAt as tracking recorded it"),
                Figure.of(NAME, "one run of the " + PIPELINES + " (max)", each.max(), "s", ""),
                Figure.of(NAME, "runs SUCCEEDED", succeeded, "runs", "")
                        .withTarget(Target.atLeast(PIPELINES, "runs")));
    }

    private static JsonNode awaitEnd(BenchContext context, String runId) {
        JsonNode run = context.runs().tracking().run(runId);
        long deadline = System.nanoTime() + PipelineRuns.TIMEOUT.toNanos();
        while (run.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
            PipelineRuns.sleep(PipelineRuns.POLL);
            run = context.runs().tracking().run(runId);
        }
        return run;
    }
}
