package dev.mlops.bench;

import dev.mlops.testing.SklearnScript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The published grid (108 candidates x 3 folds) as train-svc runs it inside the platform (its
 * {@code grid_search_seconds} metric; preprocessing as published, fitted on every row), next to the scikit-learn
 * reference script run on this machine right after, one at a time so neither competes for the cores.
 */
final class TrainingSection implements Section {

    static final String NAME = "training";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        int n = context.options().runs();
        List<Double> gridSeconds = new ArrayList<>();
        PipelineRuns.Finished last = null;
        for (int i = 1; i <= n; i++) {
            last = context.runs().runToSuccess(Specs.PUBLISHED_GRID);
            gridSeconds.add(last.metric("grid_search_seconds"));
            context.say("run %d/%d %s: grid search %.1f s, best CV %.4f, test accuracy %.4f", i, n, last.runId(),
                    last.metric("grid_search_seconds"), last.metric("best_cv_score"), last.metric("accuracy"));
        }
        double candidates = last.metric("grid_candidates");
        Percentiles grid = Percentiles.of(gridSeconds);
        context.say("scikit-learn reference (%s)...", SklearnScript.pythonHasSklearn()
                ? "sklearn_reference.py, full grid, n_jobs=-1" : "recorded figures: /usr/bin/python3 lacks scikit-learn");
        SklearnReference.Result reference = context.sklearn().get(context.titanicCsv());
        double referenceGrid = reference.gridSeconds();
        String source = reference.measuredNow() ? "scikit-learn " + reference.figures().path("sklearn_version").asText()
                + " measured now on this machine" : "scikit-learn's recorded run (results/full-run*.json)";
        context.say("scikit-learn: grid search %.1f s, best CV %.4f, test accuracy %.4f", referenceGrid,
                reference.figures().path("best_cv_score").asDouble(), reference.figures().path("test_accuracy").asDouble());

        List<Figure> figures = new ArrayList<>();
        String how = String.format(Locale.ROOT, "train-svc, median of %d runs (min %.1f, max %.1f s) vs %s", n,
                grid.min(), grid.max(), source);
        figures.add(Figure.of(NAME, String.format(Locale.ROOT, "grid search, published grid (%.0f x %s folds)",
                        candidates, last.run().path("params").path("cv_folds").asText("3")), grid.median(), "s", how)
                .againstTime(referenceGrid).withRatioTarget(Target.atLeast(2, "x")));
        figures.add(Figure.of(NAME, "grid candidates per second", candidates / grid.median(), "/s", how)
                .againstRate(reference.candidates() / referenceGrid));
        figures.add(Figure.of(NAME, "test accuracy of the best model", last.metric("accuracy"), "",
                        "178 test rows, same split and preprocessing as the reference")
                .againstRate(reference.figures().path("test_accuracy").asDouble())
                .withRatioTarget(new Target(">= 1x (equal or better)", false, 1.0)));
        figures.add(Figure.of(NAME, "best mean CV accuracy", last.metric("best_cv_score"), "",
                "3-fold stratified CV on the 709 training rows")
                .againstRate(reference.figures().path("best_cv_score").asDouble()));
        return figures;
    }
}
