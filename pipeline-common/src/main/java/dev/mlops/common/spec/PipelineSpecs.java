package dev.mlops.common.spec;

import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;

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

    private PipelineSpecs() {
    }

    /** Parses a user's spec, fills in defaults and validates it. */
    public static PipelineSpec parse(String json, String defaultDatasetUri) {
        PipelineSpec spec;
        try {
            spec = Json.read(json, PipelineSpec.class);
        } catch (JsonInputException e) {
            throw new InvalidSpecException(e.field(), e.getMessage());
        }
        PipelineSpec complete = spec.withDefaults(defaultDatasetUri);
        validate(complete);
        return complete;
    }

    /** Throws {@link InvalidSpecException} for the first rule the (defaults-filled) spec breaks. */
    public static void validate(PipelineSpec spec) {
        require(NAME.matcher(spec.name()).matches(), "name",
                "name must be 1-64 letters, digits, '.', '_' or '-', got '" + spec.name() + "'");
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
        validateModel(spec.model());
        Double minAccuracy = spec.gate().minAccuracy();
        require(minAccuracy >= 0 && minAccuracy <= 1, "gate.minAccuracy",
                "gate.minAccuracy must be between 0 and 1, got " + minAccuracy);
        require(PipelineSpec.DEPLOY_TARGETS.contains(spec.deploy().target()), "deploy.target",
                "deploy.target must be one of " + PipelineSpec.DEPLOY_TARGETS + ", got '" + spec.deploy().target() + "'");
    }

    private static void validateDataset(String uri) {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (Exception e) {
            throw new InvalidSpecException("dataset.uri", "dataset.uri is not a valid URI: " + uri);
        }
        require(parsed.getScheme() != null && DATASET_SCHEMES.contains(parsed.getScheme().toLowerCase()),
                "dataset.uri", "dataset.uri must be an http(s)://, file: or s3:// URI, got '" + uri + "'");
    }

    private static void validateFeatures(PipelineSpec spec) {
        PipelineSpec.Features features = spec.features();
        require(!features.numeric().isEmpty() || !features.categorical().isEmpty(), "features",
                "features.numeric and features.categorical are both empty: name at least one feature column");
        Set<String> seen = new HashSet<>();
        for (String column : features.all()) {
            require(column != null && !column.isBlank(), "features", "features contains an empty column name");
            require(seen.add(column), "features", "features lists column '" + column + "' twice");
            require(!column.equals(spec.target()), "features",
                    "features lists the target column '" + column + "': a model cannot learn from its label");
        }
    }

    private static void validateModel(PipelineSpec.Model model) {
        require(NAME.matcher(model.name()).matches(), "model.name",
                "model.name must be 1-64 letters, digits, '.', '_' or '-', got '" + model.name() + "'");
        require("random_forest".equals(model.type()), "model.type",
                "model.type must be 'random_forest', got '" + model.type() + "'");
        require(model.cv() >= 2 && model.cv() <= 20, "model.cv", "model.cv (folds) must be 2 to 20, got " + model.cv());
        PipelineSpec.Grid grid = model.grid();
        validateGridValues("n_estimators", grid.nEstimators(), 1, false);
        validateGridValues("max_depth", grid.maxDepth(), 1, true);
        validateGridValues("min_samples_split", grid.minSamplesSplit(), 2, false);
        validateGridValues("min_samples_leaf", grid.minSamplesLeaf(), 1, false);
    }

    private static void validateGridValues(String key, List<Integer> values, int min, boolean nullAllowed) {
        String field = "model.grid." + key;
        require(!values.isEmpty(), field, field + " must list at least one value");
        for (Integer value : values) {
            if (value == null) {
                require(nullAllowed, field, field + " must not contain null");
                continue;
            }
            require(value >= min && value <= 100_000, field,
                    field + " values must be between " + min + " and 100000, got " + value);
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
