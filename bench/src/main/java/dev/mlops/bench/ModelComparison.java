package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One model of the models section: a data set that scikit-learn ships, the model type and the grid that both the
 * platform and scikit-learn search (scikit-learn's parameter names and defaults, plus one or two values each).
 *
 * @param dataset the name {@code sklearn_models.py export} gives the data set and its CSV
 * @param task    "classification" or "regression"
 * @param type    the spec's {@code model.type}
 * @param grid    scikit-learn parameter name to values (null for None), as JSON: the same text goes to both sides
 */
record ModelComparison(String dataset, String task, String type, JsonNode grid) {

    static final String TARGET = "target";
    static final int CV = 3;
    /** The largest difference to scikit-learn's test metric that still counts as the same (issue 16). */
    static final double ACCURACY_TOLERANCE = 0.03;
    static final double R2_TOLERANCE = 0.05;

    static final String CLASSIFICATION = "classification";
    static final String REGRESSION = "regression";

    private static final JsonNode FOREST = Json.tree("""
            {"n_estimators": [100, 200], "max_depth": [null, 10], "min_samples_split": [2], "min_samples_leaf": [1]}""");
    private static final JsonNode BOOSTING = Json.tree("""
            {"n_estimators": [100, 200], "learning_rate": [0.1, 0.05], "max_depth": [3], "subsample": [1.0],
             "min_samples_leaf": [1]}""");
    private static final JsonNode LOGISTIC = Json.tree("""
            {"C": [0.1, 1.0, 10.0], "max_iter": [100]}""");

    /** What the section compares: three classifiers on breast cancer, two regressors on diabetes. */
    static final List<ModelComparison> ALL = List.of(
            new ModelComparison("breast_cancer", CLASSIFICATION, "random_forest", FOREST),
            new ModelComparison("breast_cancer", CLASSIFICATION, "gradient_boosting", BOOSTING),
            new ModelComparison("breast_cancer", CLASSIFICATION, "logistic_regression", LOGISTIC),
            new ModelComparison("diabetes", REGRESSION, "random_forest", FOREST),
            new ModelComparison("diabetes", REGRESSION, "gradient_boosting", BOOSTING));

    /** "gradient_boosting, breast cancer". */
    String label() {
        return type + ", " + dataset.replace('_', ' ');
    }

    int candidates() {
        int candidates = 1;
        for (JsonNode values : grid) {
            candidates *= values.size();
        }
        return candidates;
    }

    /** The pipeline spec of our side: the uploaded CSV, every column but the target numeric, nothing deployed. */
    String spec(String datasetUri, List<String> features) {
        ObjectNode spec = Json.mapper().createObjectNode();
        spec.put("name", "bench-models-" + dataset.replace('_', '-'));
        spec.putObject("dataset").put("uri", datasetUri);
        spec.put("target", TARGET);
        spec.put("task", task);
        ObjectNode columns = spec.putObject("features");
        features.forEach(columns.putArray("numeric")::add);
        columns.putArray("categorical");
        ObjectNode model = spec.putObject("model");
        model.put("name", "bench-" + dataset.replace('_', '-') + "-" + type.replace('_', '-'));
        model.put("type", type);
        model.put("cv", CV);
        model.set("grid", grid.deepCopy());
        spec.putObject("deploy").put("target", "none");
        return spec.toString();
    }

    /**
     * Our run's figures next to scikit-learn's: the test metric with its tolerance (accuracy, or R² and RMSE) and the
     * time of the grid search with the refit of the best candidate.
     *
     * @param ours   the run's metrics (GET /pipelines/{id}'s {@code metrics})
     * @param theirs the JSON line of {@code sklearn_models.py fit}
     */
    List<Figure> figures(JsonNode ours, JsonNode theirs) {
        String section = ModelsSection.NAME;
        String same = String.format(Locale.ROOT, "%d test rows; same rows, split, scaling and grid as scikit-learn %s",
                theirs.path("test_size").asInt(), theirs.path("sklearn_version").asText());
        List<Figure> figures = new ArrayList<>();
        if (task.equals(CLASSIFICATION)) {
            figures.add(Figure.of(section, label() + ": test accuracy", metric(ours, "accuracy"), "", same)
                    .againstRate(metric(theirs, "accuracy")).withDifferenceTarget(Target.below(ACCURACY_TOLERANCE, "")));
        } else {
            figures.add(Figure.of(section, label() + ": test R²", metric(ours, "r2"), "", same)
                    .againstRate(metric(theirs, "r2")).withDifferenceTarget(Target.below(R2_TOLERANCE, "")));
            figures.add(Figure.of(section, label() + ": test RMSE", metric(ours, "rmse"), "", same)
                    .againstTime(metric(theirs, "rmse")));
        }
        double oursSeconds = metric(ours, "grid_search_seconds") + ours.path("refit_seconds").asDouble(0);
        figures.add(Figure.of(section, String.format(Locale.ROOT, "%s: grid search + refit (%d x %d folds)", label(),
                                candidates(), CV), oursSeconds, "s",
                        "train-svc's grid_search_seconds + refit_seconds vs GridSearchCV.fit, n_jobs=-1, run after ours")
                .againstTime(metric(theirs, "grid_search_seconds")));
        return figures;
    }

    private static double metric(JsonNode figures, String name) {
        JsonNode value = figures.path(name);
        if (!value.isNumber()) {
            throw new IllegalStateException("no metric '" + name + "' in " + figures);
        }
        return value.asDouble();
    }
}
