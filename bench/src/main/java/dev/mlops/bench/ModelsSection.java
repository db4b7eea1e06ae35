package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Random forest, gradient boosting and logistic regression on scikit-learn's breast cancer data (classification),
 * random forest and gradient boosting regressors on its diabetes data, each through the whole platform next to
 * scikit-learn on the same rows, split, scaling and grid ({@link ModelComparison}): the test metric (within
 * issue 16's tolerance of scikit-learn's) and the time of the grid search. One run per model; scikit-learn runs after
 * all of ours, never alongside. A model whose run fails leaves the others' figures standing.
 */
final class ModelsSection implements Section {

    static final String NAME = "models";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        SklearnModels sklearn = new SklearnModels(context.home(), context.workDir().resolve("models"));
        JsonNode datasets = sklearn.export().path("datasets");
        Map<String, String> uris = new LinkedHashMap<>();
        for (var dataset : datasets.properties()) {
            JsonNode uploaded = context.runs().tracking().uploadDataset(csv(dataset.getValue()));
            uris.put(dataset.getKey(), uploaded.path("uri").asText());
            context.say("%s: %d rows uploaded as %s", dataset.getKey(), dataset.getValue().path("rows").asInt(),
                    uris.get(dataset.getKey()));
        }
        // not counted: a freshly started train-svc's first grid search pays for class loading and JIT
        context.runs().runToSuccess(Specs.TINY);

        Map<ModelComparison, JsonNode> ours = new LinkedHashMap<>();
        Map<String, String> failed = new LinkedHashMap<>();
        for (ModelComparison comparison : ModelComparison.ALL) {
            List<String> features = new ArrayList<>();
            datasets.path(comparison.dataset()).path("features").forEach(f -> features.add(f.asText()));
            PipelineRuns.Finished run = context.runs().run(comparison.spec(uris.get(comparison.dataset()), features));
            if (run.succeeded()) {
                ours.put(comparison, run.run().path("metrics"));
                context.say("%s: run %s, %s", comparison.label(), run.runId(), summary(run.run().path("metrics")));
            } else {
                // the other models are still compared: one model type the platform cannot train yet stops no other
                String failure = "run " + run.runId() + " ended " + run.status() + " (" + run.describeFailure() + ")";
                failed.put(comparison.label(), failure);
                context.say("%s: %s", comparison.label(), failure);
            }
        }
        List<Figure> figures = new ArrayList<>();
        for (var entry : ours.entrySet()) {
            ModelComparison comparison = entry.getKey();
            JsonNode theirs = sklearn.fit(comparison, csv(datasets.path(comparison.dataset())));
            context.say("%s: scikit-learn, %s", comparison.label(), summary(theirs));
            figures.addAll(comparison.figures(entry.getValue(), theirs));
        }
        if (!failed.isEmpty()) {
            throw new PartlyMeasured(failed.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue())
                    .collect(Collectors.joining("; ")), figures);
        }
        return figures;
    }

    private static Path csv(JsonNode dataset) {
        return Path.of(dataset.path("csv").asText());
    }

    /** "accuracy 0.9561, grid_search_seconds 3.2", of the figures the section compares. */
    private static String summary(JsonNode figures) {
        List<String> parts = new ArrayList<>();
        for (String name : List.of("accuracy", "r2", "rmse", "grid_search_seconds", "refit_seconds")) {
            if (figures.path(name).isNumber()) {
                parts.add(String.format(Locale.ROOT, "%s %.4g", name, figures.path(name).asDouble()));
            }
        }
        return String.join(", ", parts);
    }
}
