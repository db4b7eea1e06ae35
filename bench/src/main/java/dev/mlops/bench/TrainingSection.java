package dev.mlops.bench;

import dev.mlops.testing.SklearnScript;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The published grid (108 candidates x 3 folds) as train-svc runs it inside the platform (its
 * {@code grid_search_seconds} metric; preprocessing as published, fitted on every row) in both of its modes, next to
 * the scikit-learn reference script run on this machine right after, one at a time so none competes for the cores:
 * like for like (every candidate a fresh forest, what GridSearchCV does: 600 trees per group of candidates that
 * differ only in n_estimators and fold) and with trees shared across n_estimators (the default: 300 trees per group
 * and fold, so the larger forests are different forests from the ones scikit-learn fits).
 */
final class TrainingSection implements Section {

    static final String NAME = "training";

    private static final Mode LIKE_FOR_LIKE = new Mode(Specs.PUBLISHED_GRID_UNSHARED, false, "like for like",
            "shareTrees false: every candidate a fresh forest, 600 trees per group and fold as GridSearchCV",
            Target.atLeast(3, "x"));
    private static final Mode SHARED = new Mode(Specs.PUBLISHED_GRID, true, "shared trees",
            "shareTrees true (default): 300 trees per group and fold where scikit-learn grows 600, different forests",
            Target.atLeast(2, "x"));

    /** One way of running the published grid: its spec, the {@code shared_trees} param it must log, its figures. */
    private record Mode(String spec, boolean sharedTrees, String label, String how, Target target) {
    }

    /** A mode's runs so far: the grid seconds of each, and the last one. */
    private static final class Runs {
        final Mode mode;
        final List<Double> gridSeconds = new ArrayList<>();
        PipelineRuns.Finished last;

        Runs(Mode mode) {
            this.mode = mode;
        }

        void run(BenchContext context, String round) {
            PipelineRuns.Finished run = context.runs().runToSuccess(mode.spec());
            String logged = run.run().path("params").path("shared_trees").asText();
            if (!logged.equals(Boolean.toString(mode.sharedTrees()))) {
                throw new IllegalStateException("run " + run.runId() + " of the " + mode.label()
                        + " spec logged shared_trees=" + logged);
            }
            gridSeconds.add(run.metric("grid_search_seconds"));
            last = run;
            context.say("run %s %s, %s: grid search %.1f s, best CV %.4f, test accuracy %.4f", round, run.runId(),
                    mode.label(), run.metric("grid_search_seconds"), run.metric("best_cv_score"),
                    run.metric("accuracy"));
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        int n = context.options().runs();
        // like for like first: on a fresh stack it is the one that pays the JIT warm-up
        List<Runs> modes = List.of(new Runs(LIKE_FOR_LIKE), new Runs(SHARED));
        for (int i = 1; i <= n; i++) {
            for (Runs mode : modes) {
                mode.run(context, i + "/" + n);
            }
        }
        context.say("scikit-learn reference (%s)...", SklearnScript.pythonHasSklearn()
                ? "sklearn_reference.py, full grid, n_jobs=-1" : "recorded figures: /usr/bin/python3 lacks scikit-learn");
        SklearnReference.Result reference = context.sklearn().get(context.titanicCsv());
        double referenceGrid = reference.gridSeconds();
        double referenceAccuracy = reference.figures().path("test_accuracy").asDouble();
        double referenceCv = reference.figures().path("best_cv_score").asDouble();
        String source = reference.measuredNow() ? "scikit-learn " + reference.figures().path("sklearn_version").asText()
                + " measured now on this machine" : "scikit-learn's recorded run (results/full-run*.json)";
        context.say("scikit-learn: grid search %.1f s, best CV %.4f, test accuracy %.4f", referenceGrid, referenceCv,
                referenceAccuracy);

        List<Figure> figures = new ArrayList<>();
        for (Runs mode : modes) {
            figures.addAll(figures(mode, n, referenceGrid, referenceAccuracy, referenceCv, source));
        }
        return figures;
    }

    private static List<Figure> figures(Runs runs, int n, double referenceGrid, double referenceAccuracy,
                                        double referenceCv, String source) {
        Mode mode = runs.mode;
        PipelineRuns.Finished last = runs.last;
        Percentiles grid = Percentiles.of(runs.gridSeconds);
        String how = String.format(Locale.ROOT, "%s; train-svc, median of %d runs (min %.1f, max %.1f s) vs %s",
                mode.how(), n, grid.min(), grid.max(), source);
        return List.of(
                Figure.of(NAME, String.format(Locale.ROOT, "grid search, %s (%.0f x %s folds)", mode.label(),
                                last.metric("grid_candidates"), last.run().path("params").path("cv_folds").asText("3")),
                                grid.median(), "s", how)
                        .againstTime(referenceGrid).withRatioTarget(mode.target()),
                Figure.of(NAME, "test accuracy of the best model, " + mode.label(), last.metric("accuracy"), "",
                                "178 test rows, same split and preprocessing as the reference")
                        .againstRate(referenceAccuracy)
                        .withRatioTarget(new Target(">= 1x (equal or better)", false, 1.0)),
                Figure.of(NAME, "best mean CV accuracy, " + mode.label(), last.metric("best_cv_score"), "",
                                "3-fold stratified CV on the 709 training rows")
                        .againstRate(referenceCv));
    }
}
