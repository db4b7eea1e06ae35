package dev.mlops.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Wall time of the default pipeline from POST /pipelines to SUCCEEDED, and the time spent in each stage. */
final class EndToEndSection implements Section {

    static final String DEPLOY_STAGE = "deploy";
    static final String NAME = "e2e";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) {
        int n = context.options().runs();
        List<Double> walls = new ArrayList<>();
        List<Double> outside = new ArrayList<>();
        Map<String, List<Double>> stages = new LinkedHashMap<>();
        for (int i = 1; i <= n; i++) {
            PipelineRuns.Finished run = context.runs().runToSuccess(Specs.DEFAULT);
            walls.add(run.wallSeconds());
            Map<String, Double> seconds = run.stageSeconds();
            seconds.forEach((stage, s) -> stages.computeIfAbsent(stage, k -> new ArrayList<>()).add(s));
            outside.add(run.wallSeconds() - seconds.values().stream().mapToDouble(Double::doubleValue).sum());
            context.say("run %d/%d %s: %.1f s (%s)", i, n, run.runId(), run.wallSeconds(), describe(seconds));
        }
        Percentiles wall = Percentiles.of(walls);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(NAME, "default pipeline, POST /pipelines -> SUCCEEDED (median)", wall.median(), "s",
                String.format(Locale.ROOT, "median of %d runs of {} (min %.1f s, max %.1f s; the first run after a"
                        + " start includes the services' JIT warm-up); client wall time, polling every %d ms", n,
                        wall.min(), wall.max(), PipelineRuns.POLL.toMillis()))
                .withTarget(Target.below(15, "s")));
        stages.forEach((stage, seconds) -> {
            Figure figure = Figure.of(NAME, "stage " + stage + " (median)", Percentiles.of(seconds).median(), "s",
                    "startedAt -> finishedAt as tracking recorded it");
            // a local deploy loads the bundle into the warm model-server: no JVM starts
            figures.add(DEPLOY_STAGE.equals(stage) ? figure.withTarget(Target.below(2, "s")) : figure);
        });
        figures.add(Figure.of(NAME, "outside the stages (median)", Percentiles.of(outside).median(), "s",
                "wall time less the stages' sum: request, event hops, tracking, the client's polling"));
        return figures;
    }

    static String describe(Map<String, Double> seconds) {
        List<String> parts = new ArrayList<>();
        seconds.forEach((stage, s) -> parts.add(String.format(Locale.ROOT, "%s %.1f", stage, s)));
        return String.join(", ", parts);
    }
}
