package dev.mlops.common.spec;

import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.text.Text;
import dev.mlops.common.text.UrlCredentials;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.regex.Pattern;

/** Reads and checks pipeline specs: every rule that a user can break is named here, with the field it concerns. */
public final class PipelineSpecs {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> DATASET_SCHEMES = Set.of("http", "https", "file", "s3");
    /** Longest column name (target, features) and dataset URI a spec may hold. */
    static final int MAX_COLUMN_NAME = 256;
    static final int MAX_URI = 2_048;

    private PipelineSpecs() {
    }

    /** Parses a user's spec, fills in defaults and validates it against the default {@link WorkLimits}. */
    public static PipelineSpec parse(String json, String defaultDatasetUri) {
        return parse(json, defaultDatasetUri, WorkLimits.DEFAULTS);
    }

    /** Parses a user's spec, fills in defaults and validates it against {@code limits}. */
    public static PipelineSpec parse(String json, String defaultDatasetUri, WorkLimits limits) {
        PipelineSpec spec;
        try {
            spec = Json.read(json, PipelineSpec.class);
        } catch (JsonInputException e) {
            throw new InvalidSpecException(e.field(), e.getMessage());
        }
        PipelineSpec complete = spec.withDefaults(defaultDatasetUri);
        validate(complete, limits);
        return complete;
    }

    /** {@link #validate(PipelineSpec, WorkLimits)} with the default limits. */
    public static void validate(PipelineSpec spec) {
        validate(spec, WorkLimits.DEFAULTS);
    }

    /**
     * Throws {@link InvalidSpecException} for the first rule the (defaults-filled) spec breaks. Stages call it
     * again on the spec of every event they consume: an event injected past the API is held to the same rules.
     */
    public static void validate(PipelineSpec spec, WorkLimits limits) {
        validateText(spec);
        require(NAME.matcher(spec.name()).matches(), "name",
                "name must be 1-64 letters, digits, '.', '_' or '-', got '" + Text.quote(spec.name()) + "'");
        validateDataset(spec.dataset().uri());
        require(!spec.target().isBlank(), "target", "target must name the label column");
        validateFeatures(spec);
        PipelineSpec.Split split = spec.split();
        require(split.testSize() > 0 && split.testSize() < 1, "split.testSize",
                "split.testSize must be between 0 and 1 (exclusive), got " + split.testSize());
        // the split reproduces numpy's RandomState, whose seeds are 32-bit unsigned
        require(split.seed() >= 0 && split.seed() <= 4_294_967_295L, "split.seed",
                "split.seed must be between 0 and 4294967295, got " + split.seed());
        require(List.of(PipelineSpec.FIT_ON_TRAIN, PipelineSpec.FIT_ON_ALL).contains(split.fitOn()), "split.fitOn",
                "split.fitOn must be 'train' or 'all', got '" + split.fitOn() + "'");
        validateModel(spec.model(), limits);
        validateTask(spec);
        validateGate(spec);
        require(PipelineSpec.DEPLOY_TARGETS.contains(spec.deploy().target()), "deploy.target",
                "deploy.target must be one of " + PipelineSpec.DEPLOY_TARGETS + ", got '" + spec.deploy().target() + "'");
    }

    /** No control characters (also in a spec built in code rather than read by {@link Json#read}) and no huge names. */
    private static void validateText(PipelineSpec spec) {
        requireText("name", spec.name(), MAX_COLUMN_NAME);
        requireText("dataset.uri", spec.dataset().uri(), MAX_URI);
        requireText("target", spec.target(), MAX_COLUMN_NAME);
        List<String> numeric = spec.features().numeric();
        for (int i = 0; i < numeric.size(); i++) {
            requireText("features.numeric[" + i + "]", numeric.get(i), MAX_COLUMN_NAME);
        }
        List<String> categorical = spec.features().categorical();
        for (int i = 0; i < categorical.size(); i++) {
            requireText("features.categorical[" + i + "]", categorical.get(i), MAX_COLUMN_NAME);
        }
        requireText("split.fitOn", spec.split().fitOn(), MAX_COLUMN_NAME);
        requireText("model.name", spec.model().name(), MAX_COLUMN_NAME);
        requireText("model.type", spec.model().type(), MAX_COLUMN_NAME);
        requireText("task", spec.task(), MAX_COLUMN_NAME);
        for (String key : spec.model().grid().values().keySet()) {
            requireText("model.grid", key, MAX_COLUMN_NAME);
        }
        requireText("deploy.target", spec.deploy().target(), MAX_COLUMN_NAME);
    }

    private static void requireText(String field, String value, int maxLength) {
        if (value == null) {
            return;
        }
        String problem = Text.controlCharacterProblem(value);
        require(problem == null, field, field + " " + problem);
        require(value.length() <= maxLength, field,
                field + " must be at most " + maxLength + " characters, got " + value.length());
    }

    private static void validateDataset(String uri) {
        String shown = Text.quote(UrlCredentials.hidden(uri));
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (Exception e) {
            throw new InvalidSpecException("dataset.uri", "dataset.uri is not a valid URI: " + shown);
        }
        require(!UrlCredentials.present(parsed), "dataset.uri", UrlCredentials.refusal(shown));
        require(parsed.getScheme() != null && DATASET_SCHEMES.contains(parsed.getScheme().toLowerCase()),
                "dataset.uri", "dataset.uri must be an http(s)://, file: or s3:// URI, got '" + shown + "'");
    }

    private static void validateFeatures(PipelineSpec spec) {
        PipelineSpec.Features features = spec.features();
        require(!features.numeric().isEmpty() || !features.categorical().isEmpty(), "features",
                "features.numeric and features.categorical are both empty: name at least one feature column");
        Set<String> seen = new HashSet<>();
        for (String column : features.all()) {
            require(column != null && !column.isBlank(), "features", "features contains an empty column name");
            require(seen.add(column), "features", "features lists column '" + Text.quote(column) + "' twice");
            require(!column.equals(spec.target()), "features",
                    "features lists the target column '" + Text.quote(column) + "': a model cannot learn from its label");
        }
    }

    private static void validateTask(PipelineSpec spec) {
        require(spec.task() == null || PipelineSpec.TASKS.contains(spec.task()), "task",
                "task must be 'classification' or 'regression' (or left out to infer it from the target column), got '"
                        + Text.quote(spec.task()) + "'");
        require(!spec.regression() || ModelTypes.REGRESSION_TYPES.contains(spec.model().type()), "model.type",
                "model.type '" + spec.model().type() + "' is a classifier only: task 'regression' takes "
                        + quoted(ModelTypes.REGRESSION_TYPES));
    }

    private static void validateGate(PipelineSpec spec) {
        PipelineSpec.Gate gate = spec.gate();
        Double minAccuracy = gate.minAccuracy();
        require(minAccuracy >= 0 && minAccuracy <= 1, "gate.minAccuracy",
                "gate.minAccuracy must be between 0 and 1, got " + minAccuracy);
        boolean classification = PipelineSpec.CLASSIFICATION.equals(spec.task());
        if (gate.minR2() != null) {
            require(!classification, "gate.minR2", "gate.minR2 is a regression gate, but task is 'classification'"
                    + " (use gate.minAccuracy, or task 'regression')");
            require(gate.minR2() <= 1, "gate.minR2", "gate.minR2 must be at most 1 (a perfect fit), got " + gate.minR2());
        }
        if (gate.maxRmse() != null) {
            require(!classification, "gate.maxRmse", "gate.maxRmse is a regression gate, but task is"
                    + " 'classification' (use gate.minAccuracy, or task 'regression')");
            require(gate.maxRmse() >= 0, "gate.maxRmse", "gate.maxRmse must be at least 0, got " + gate.maxRmse());
        }
        Double minImprovement = gate.minImprovement();
        require(minImprovement >= 0 && minImprovement <= 1, "gate.minImprovement",
                "gate.minImprovement must be between 0 and 1 (how much better than production the score must be),"
                        + " got " + minImprovement);
    }

    private static void validateModel(PipelineSpec.Model model, WorkLimits limits) {
        require(NAME.matcher(model.name()).matches(), "model.name",
                "model.name must be 1-64 letters, digits, '.', '_' or '-', got '" + Text.quote(model.name()) + "'");
        require(ModelTypes.known(model.type()), "model.type", "model.type must be one of "
                + quoted(ModelTypes.TYPES) + ", got '" + Text.quote(model.type()) + "'");
        require(model.cv() >= 2 && model.cv() <= 20, "model.cv", "model.cv (folds) must be 2 to 20, got " + model.cv());
        require(model.shareTrees() == null || ModelTypes.RANDOM_FOREST.equals(model.type()), "model.shareTrees",
                "model.shareTrees is for model.type '" + ModelTypes.RANDOM_FOREST + "' only (whether candidates that"
                        + " differ only in n_estimators share trees); model.type '" + model.type() + "' fits every"
                        + " candidate afresh: leave shareTrees out");
        PipelineSpec.Grid grid = model.grid();
        List<String> names = ModelTypes.parameterNames(model.type());
        for (String key : grid.values().keySet()) {
            require(names.contains(key), "model.grid." + Text.quote(key), "model.grid." + Text.quote(key)
                    + " is not a parameter of model.type '" + model.type() + "', which takes " + quoted(names));
        }
        for (ModelTypes.Param param : ModelTypes.params(model.type())) {
            validateGridValues(param, grid.values().get(param.name()), limits);
        }
        long fits = WorkLimits.saturatedProduct(grid.candidates(), model.cv());
        require(fits <= limits.maxCandidateFits(), "model.grid",
                "model.grid has " + count(grid.candidates()) + " candidates × " + model.cv() + " folds = "
                        + count(fits) + " fits, over the limit of " + limits.maxCandidateFits()
                        + " (mlops.limits.max-candidate-fits)");
        long trees = WorkLimits.saturatedProduct(grid.treesPerFit(), model.cv());
        require(trees <= limits.maxTotalTrees(), "model.grid",
                "model.grid would grow " + count(trees) + " trees (Σ n_estimators × candidates × folds), over the limit"
                        + " of " + limits.maxTotalTrees() + " (mlops.limits.max-total-trees)");
    }

    private static String quoted(List<String> names) {
        return names.stream().map(n -> "'" + n + "'").collect(Collectors.joining(", "));
    }

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(n);
    }

    private static void validateGridValues(ModelTypes.Param param, List<Number> values, WorkLimits limits) {
        String field = "model.grid." + param.name();
        require(values != null && !values.isEmpty(), field, field + " must list at least one value");
        double max = param.max();
        String setting = "";
        if (param.limit() == ModelTypes.Limit.TREES_PER_FOREST) {
            max = limits.maxTreesPerForest();
            setting = " (mlops.limits.max-trees-per-forest)";
        } else if (param.limit() == ModelTypes.Limit.TREE_DEPTH) {
            max = limits.maxTreeDepth();
            setting = " (mlops.limits.max-tree-depth)";
        }
        String range = (param.minExclusive() ? "greater than " + number(param.min()) + " and at most "
                : "between " + number(param.min()) + " and ") + number(max) + setting;
        for (Number value : values) {
            if (value == null) {
                require(param.nullAllowed(), field, field + " must not contain null");
                continue;
            }
            double v = value.doubleValue();
            require(!param.integer() || (v == Math.rint(v) && !Double.isInfinite(v)), field,
                    field + " values must be whole numbers, got " + value);
            require((param.minExclusive() ? v > param.min() : v >= param.min()) && v <= max, field,
                    field + " values must be " + range + ", got " + value);
        }
        require(values.stream().map(v -> v == null ? null : v.doubleValue()).distinct().count() == values.size(),
                field, field + " lists a value twice: " + values);
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value) : Double.toString(value);
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidSpecException(field, message);
        }
    }
}
