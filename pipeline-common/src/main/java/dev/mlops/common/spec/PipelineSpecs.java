package dev.mlops.common.spec;

import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.text.Text;
import dev.mlops.common.text.UrlCredentials;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
        Double minAccuracy = spec.gate().minAccuracy();
        require(minAccuracy >= 0 && minAccuracy <= 1, "gate.minAccuracy",
                "gate.minAccuracy must be between 0 and 1, got " + minAccuracy);
        Double minImprovement = spec.gate().minImprovement();
        require(minImprovement >= 0 && minImprovement <= 1, "gate.minImprovement",
                "gate.minImprovement must be between 0 and 1 (how much better than production the score must be),"
                        + " got " + minImprovement);
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

    private static void validateModel(PipelineSpec.Model model, WorkLimits limits) {
        require(NAME.matcher(model.name()).matches(), "model.name",
                "model.name must be 1-64 letters, digits, '.', '_' or '-', got '" + Text.quote(model.name()) + "'");
        require("random_forest".equals(model.type()), "model.type",
                "model.type must be 'random_forest', got '" + Text.quote(model.type()) + "'");
        require(model.cv() >= 2 && model.cv() <= 20, "model.cv", "model.cv (folds) must be 2 to 20, got " + model.cv());
        PipelineSpec.Grid grid = model.grid();
        validateGridValues("n_estimators", grid.nEstimators(), 1, limits.maxTreesPerForest(),
                "mlops.limits.max-trees-per-forest", false);
        validateGridValues("max_depth", grid.maxDepth(), 1, limits.maxTreeDepth(), "mlops.limits.max-tree-depth", true);
        validateGridValues("min_samples_split", grid.minSamplesSplit(), 2, 100_000, null, false);
        validateGridValues("min_samples_leaf", grid.minSamplesLeaf(), 1, 100_000, null, false);
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

    private static String count(long n) {
        return n == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : Long.toString(n);
    }

    private static void validateGridValues(String key, List<Integer> values, int min, long max, String setting,
                                           boolean nullAllowed) {
        String field = "model.grid." + key;
        require(!values.isEmpty(), field, field + " must list at least one value");
        for (Integer value : values) {
            if (value == null) {
                require(nullAllowed, field, field + " must not contain null");
                continue;
            }
            require(value >= min && value <= max, field, field + " values must be between " + min + " and " + max
                    + (setting == null ? "" : " (" + setting + ")") + ", got " + value);
        }
        require(values.stream().filter(Objects::nonNull).distinct().count()
                        + values.stream().filter(Objects::isNull).count() == values.size()
                        && values.stream().filter(Objects::isNull).count() <= 1,
                field, field + " lists a value twice: " + values);
    }

    private static void require(boolean condition, String field, String message) {
        if (!condition) {
            throw new InvalidSpecException(field, message);
        }
    }
}
