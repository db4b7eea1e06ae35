package dev.mlops.common.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import dev.mlops.common.event.Stage;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

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

    /**
     * @param type       one of {@link ModelTypes#TYPES}; {@code grid} missing or partly given takes that type's defaults
     * @param shareTrees for a random-forest classifier: candidates that differ only in {@code n_estimators} share
     *                   trees (the default, true: different forests, fewer trees), or false: every candidate is a
     *                   fresh forest, as scikit-learn's {@code GridSearchCV} fits it. Only for type
     *                   {@code random_forest} (null, and refused when given, for the other types)
     */
    public record Model(String name, String type, Integer cv, Grid grid, Boolean shareTrees) {

        public Model(String name, String type, Integer cv, Grid grid) {
            this(name, type, cv, grid, null);
        }
    }

    /**
     * A hyper-parameter grid: parameter name (scikit-learn's, see {@link ModelTypes}) -> the values to try. Which
     * names a {@code model.type} takes, their defaults and ranges are {@link ModelTypes}'s; a null value means
     * "unlimited" where the parameter allows it ({@code max_depth}). Written and read as a plain JSON object.
     */
    public record Grid(Map<String, List<Number>> values) {

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public Grid {
            Map<String, List<Number>> copy = new TreeMap<>();
            values.forEach((key, list) -> copy.put(key, list == null ? null
                    : Collections.unmodifiableList(new ArrayList<>(list))));
            values = Collections.unmodifiableMap(copy);
        }

        /** A random-forest grid; a null list leaves that parameter to its default. */
        public Grid(List<Integer> nEstimators, List<Integer> maxDepth, List<Integer> minSamplesSplit,
                    List<Integer> minSamplesLeaf) {
            this(forestValues(nEstimators, maxDepth, minSamplesSplit, minSamplesLeaf));
        }

        private static Map<String, List<Number>> forestValues(List<Integer> nEstimators, List<Integer> maxDepth,
                                                              List<Integer> minSamplesSplit,
                                                              List<Integer> minSamplesLeaf) {
            Map<String, List<Number>> values = new LinkedHashMap<>();
            putIfGiven(values, "n_estimators", nEstimators);
            putIfGiven(values, "max_depth", maxDepth);
            putIfGiven(values, "min_samples_split", minSamplesSplit);
            putIfGiven(values, "min_samples_leaf", minSamplesLeaf);
            return values;
        }

        private static void putIfGiven(Map<String, List<Number>> values, String key, List<Integer> list) {
            if (list != null) {
                values.put(key, new ArrayList<>(list));
            }
        }

        @JsonValue
        @Override
        public Map<String, List<Number>> values() {
            return values;
        }

        /** The values of {@code name} as integers (null stays null); an empty list when the grid lacks it. */
        public List<Integer> ints(String name) {
            return values.getOrDefault(name, List.of()).stream()
                    .map(v -> v == null ? null : v.intValue()).collect(Collectors.toList());
        }

        public List<Integer> nEstimators() {
            return ints("n_estimators");
        }

        public List<Integer> maxDepth() {
            return ints("max_depth");
        }

        public List<Integer> minSamplesSplit() {
            return ints("min_samples_split");
        }

        public List<Integer> minSamplesLeaf() {
            return ints("min_samples_leaf");
        }

        /** How many parameter combinations the grid holds (Long.MAX_VALUE if that overflows). */
        public long candidates() {
            long product = 1;
            for (List<Number> list : values.values()) {
                product = WorkLimits.saturatedProduct(product, list == null ? 0 : list.size());
            }
            return product;
        }

        /**
         * Trees grown when every candidate is fitted once: Σ n_estimators × the other parameters' combinations
         * (0 for a grid without n_estimators, a model without trees).
         */
        public long treesPerFit() {
            if (!values.containsKey("n_estimators")) {
                return 0;
            }
            long sum = nEstimators().stream().filter(Objects::nonNull).mapToLong(Integer::longValue)
                    .reduce(0, (a, b) -> a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b);
            long others = 1;
            for (Map.Entry<String, List<Number>> entry : values.entrySet()) {
                if (!entry.getKey().equals("n_estimators")) {
                    others = WorkLimits.saturatedProduct(others, entry.getValue() == null ? 0 : entry.getValue().size());
                }
            }
            return WorkLimits.saturatedProduct(sum, others);
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
                new Model("titanic-rf", ModelTypes.RANDOM_FOREST, 3, ModelTypes.defaultGrid(ModelTypes.RANDOM_FOREST),
                        true),
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
        String type = model == null ? d.model.type : or(model.type, d.model.type);
        Model m = model == null ? d.model : new Model(
                or(model.name, d.model.name), type, or(model.cv, d.model.cv),
                ModelTypes.withDefaults(type, model.grid),
                ModelTypes.RANDOM_FOREST.equals(type) ? or(model.shareTrees, d.model.shareTrees) : model.shareTrees);
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

    /** True when {@code task} says "regression" (false when it says classification or leaves the task to infer). */
    public boolean regression() {
        return REGRESSION.equals(task);
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
