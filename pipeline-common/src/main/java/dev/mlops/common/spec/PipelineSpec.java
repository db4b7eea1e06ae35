package dev.mlops.common.spec;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.mlops.common.event.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a pipeline run does. Every field is optional on input; {@link #withDefaults(String)} fills in the
 * published Titanic workflow, so {@code {}} runs it. The spec travels in every event.
 */
public record PipelineSpec(
        String name,
        Dataset dataset,
        String target,
        String task,
        Features features,
        Split split,
        Model model,
        Gate gate,
        Deploy deploy) {

    /** A spec without {@code task}: the task is inferred from the target column. */
    public PipelineSpec(String name, Dataset dataset, String target, Features features, Split split, Model model,
                        Gate gate, Deploy deploy) {
        this(name, dataset, target, null, features, split, model, gate, deploy);
    }

    public record Dataset(String uri) {
    }

    public record Features(List<String> numeric, List<String> categorical) {
        public List<String> all() {
            List<String> all = new ArrayList<>(numeric);
            all.addAll(categorical);
            return all;
        }
    }

    /** @param fitOn "train" fits the preprocessor on the training split; "all" on every row, as published */
    public record Split(Double testSize, Long seed, String fitOn, Boolean stratify) {
    }

    public record Model(String name, String type, Integer cv, Grid grid) {
    }

    /** Random-forest hyper-parameter grid, in scikit-learn's names; a null max_depth means unlimited. */
    public record Grid(
            @JsonProperty("n_estimators") List<Integer> nEstimators,
            @JsonProperty("max_depth") List<Integer> maxDepth,
            @JsonProperty("min_samples_split") List<Integer> minSamplesSplit,
            @JsonProperty("min_samples_leaf") List<Integer> minSamplesLeaf) {

        /** How many parameter combinations the grid holds (Long.MAX_VALUE if that overflows). */
        public long candidates() {
            return WorkLimits.saturatedProduct(WorkLimits.saturatedProduct(nEstimators.size(), maxDepth.size()),
                    WorkLimits.saturatedProduct(minSamplesSplit.size(), minSamplesLeaf.size()));
        }

        /** Trees grown when every candidate is fitted once: Σ n_estimators × the other dimensions' combinations. */
        public long treesPerFit() {
            long sum = nEstimators.stream().mapToLong(Integer::longValue).reduce(0, (a, b) ->
                    a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
            return WorkLimits.saturatedProduct(sum, WorkLimits.saturatedProduct(maxDepth.size(),
                    WorkLimits.saturatedProduct(minSamplesSplit.size(), minSamplesLeaf.size())));
        }
    }

    /**
     * What a model must reach to be released. Classification: {@code minAccuracy}; regression: {@code minR2} and/or
     * {@code maxRmse}. {@code mustBeatProduction}: the model behind the {@code production} alias is scored on the
     * same test split and the new model is released only if it is better by at least {@code minImprovement}.
     */
    public record Gate(Double minAccuracy, Double minR2, Double maxRmse, Boolean mustBeatProduction,
                       Double minImprovement) {

        public Gate(Double minAccuracy) {
            this(minAccuracy, null, null, null, null);
        }
    }

    /**
     * @param target "local" (a model-server process on this machine), "container" (the built image, run through the
     *               Docker Engine API), "kubernetes" (the serving Deployment), or "none" (the run ends after evaluate)
     */
    public record Deploy(String target) {
    }

    public static final String CLASSIFICATION = "classification";
    public static final String REGRESSION = "regression";
    public static final List<String> TASKS = List.of(CLASSIFICATION, REGRESSION);
    public static final String FIT_ON_TRAIN = "train";
    public static final String FIT_ON_ALL = "all";
    public static final List<String> DEPLOY_TARGETS = List.of("local", "container", "kubernetes", "none");

    /** The published workflow's settings. */
    public static PipelineSpec defaults(String datasetUri) {
        return new PipelineSpec(
                "titanic",
                new Dataset(datasetUri),
                "Survived",
                new Features(List.of("Age", "Fare", "Siblings/Spouses Aboard", "Parents/Children Aboard"),
                        List.of("Pclass", "Sex")),
                new Split(0.2, 42L, FIT_ON_TRAIN, false),
                new Model("titanic-rf", "random_forest", 3, new Grid(
                        List.of(100, 200, 300),
                        Arrays.asList(null, 10, 20, 30),
                        List.of(2, 5, 10),
                        List.of(1, 2, 4))),
                new Gate(0.75, null, null, false, 0.0),
                new Deploy("local"));
    }

    /** This spec with every missing field taken from {@link #defaults(String)}. */
    public PipelineSpec withDefaults(String defaultDatasetUri) {
        PipelineSpec d = defaults(defaultDatasetUri);
        Features f = features == null ? d.features : new Features(
                or(features.numeric, d.features.numeric), or(features.categorical, d.features.categorical));
        Split s = split == null ? d.split : new Split(
                or(split.testSize, d.split.testSize), or(split.seed, d.split.seed),
                or(split.fitOn, d.split.fitOn), or(split.stratify, d.split.stratify));
        Model m = model == null ? d.model : new Model(
                or(model.name, d.model.name), or(model.type, d.model.type), or(model.cv, d.model.cv),
                model.grid == null ? d.model.grid : new Grid(
                        or(model.grid.nEstimators, d.model.grid.nEstimators),
                        or(model.grid.maxDepth, d.model.grid.maxDepth),
                        or(model.grid.minSamplesSplit, d.model.grid.minSamplesSplit),
                        or(model.grid.minSamplesLeaf, d.model.grid.minSamplesLeaf)));
        return new PipelineSpec(
                or(name, d.name),
                dataset == null || dataset.uri == null ? d.dataset : dataset,
                or(target, d.target),
                task,
                f, s, m,
                gate == null ? d.gate : new Gate(or(gate.minAccuracy, d.gate.minAccuracy), gate.minR2, gate.maxRmse,
                        or(gate.mustBeatProduction, d.gate.mustBeatProduction),
                        or(gate.minImprovement, d.gate.minImprovement)),
                deploy == null || deploy.target == null ? d.deploy : deploy);
    }

    /** False when {@code deploy.target} is "none": the run ends after evaluate. */
    public boolean deploys() {
        return deploy != null && !"none".equals(deploy.target);
    }

    /** The stages a run of this spec goes through, in chain order: it ends after evaluate when nothing is deployed. */
    public List<Stage> stages() {
        return Arrays.stream(Stage.values())
                .filter(stage -> deploys() || stage.ordinal() <= Stage.EVALUATE.ordinal())
                .toList();
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }
}
