package dev.mlops.bench;

/** The pipeline specs the benchmark runs. */
final class Specs {

    /** The default pipeline: the published grid (108 candidates x 3 folds), evaluate, image, local deployment. */
    static final String DEFAULT = "{}";

    /** The published workflow as scikit-learn runs it: preprocessor fitted on every row, the full grid. */
    static final String PUBLISHED_GRID = """
            {"split": {"fitOn": "all"}, "deploy": {"target": "none"}}""";

    /**
     * The published grid with every candidate a fresh forest ({@code shareTrees: false}): 600 trees per group of
     * candidates that differ only in n_estimators and fold, the work scikit-learn's GridSearchCV does.
     */
    static final String PUBLISHED_GRID_UNSHARED = """
            {"split": {"fitOn": "all"}, "model": {"shareTrees": false}, "deploy": {"target": "none"}}""";

    /** The reference server's model (the published grid's best: 200 trees, max_depth 10), deployed locally. */
    static final String PUBLISHED_BEST_SERVED = """
            {"split": {"fitOn": "all"},
             "model": {"grid": {"n_estimators": [200], "max_depth": [10], "min_samples_split": [5],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    /** The same model deployed as a container of the image the run built (deploy-svc through podman's API). */
    static final String PUBLISHED_BEST_CONTAINER = PUBLISHED_BEST_SERVED.replace("\"local\"", "\"container\"");

    /** As little work per stage as a run can have, so that the hops between stages stand out. */
    static final String TINY = """
            {"model": {"cv": 2, "grid": {"n_estimators": [10], "max_depth": [5], "min_samples_split": [2],
                                         "min_samples_leaf": [1]}},
             "deploy": {"target": "none"}}""";

    /** A small grid, nothing deployed: the load figures' pipelines (as e2e-tests' ResilienceIT runs them). */
    static final String SMALL_GRID = """
            {"model": {"grid": {"n_estimators": [20], "max_depth": [5], "min_samples_split": [2],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "none"}}""";

    /** Stored runs for the tracking figures: fails at ingest at once, so it costs the platform next to nothing. */
    static final String FILL = """
            {"name": "bench-fill", "dataset": {"uri": "file:/nonexistent/bench-fill.csv"}, "deploy": {"target": "none"}}""";

    private Specs() {
    }
}
