package dev.mlops.preprocess.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.Values;
import dev.mlops.runtime.stage.StageFailure;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The run's task, from the spec's {@code task} or, when it leaves it out, from the target column: a regression when
 * every value is a number and either some value is not a whole number or there are more than
 * {@value #MAX_CLASSES} distinct values; a classification otherwise (scikit-learn's {@code type_of_target} draws
 * the line at non-integers; the count keeps a numeric score with many levels from becoming hundreds of classes).
 *
 * @param inferred whether the spec left the task to the data
 */
public record TargetTask(String task, boolean inferred) {

    static final int MAX_CLASSES = 20;

    public boolean regression() {
        return PipelineSpec.REGRESSION.equals(task);
    }

    /** The task of a run of {@code spec} whose target column holds {@code labels} (none missing). */
    public static TargetTask of(PipelineSpec spec, List<String> labels) {
        if (spec.task() != null) {
            if (spec.regression()) {
                requireNumeric(spec.target(), labels);
            }
            return new TargetTask(spec.task(), false);
        }
        boolean regression = Values.allNumeric(labels) && (hasFraction(labels) || distinct(labels) > MAX_CLASSES);
        return new TargetTask(regression ? PipelineSpec.REGRESSION : PipelineSpec.CLASSIFICATION, true);
    }

    /** A regression target must be numbers: the API could not check that, it never sees the data. */
    private static void requireNumeric(String target, List<String> labels) {
        for (int i = 0; i < labels.size(); i++) {
            if (Values.parseNumber(labels.get(i)) == null) {
                throw new StageFailure("task is 'regression' but target column '" + target + "' is not numeric: row "
                        + (i + 1) + " holds '" + labels.get(i) + "' (the API cannot see the data, so this is checked"
                        + " here); leave task out or set it to 'classification' to predict its values as classes");
            }
        }
    }

    private static boolean hasFraction(List<String> labels) {
        return labels.stream().mapToDouble(Values::parseNumber).anyMatch(v -> v != Math.rint(v));
    }

    private static int distinct(List<String> labels) {
        Set<Double> values = new HashSet<>();
        for (String label : labels) {
            values.add(Values.parseNumber(label));
        }
        return values.size();
    }
}
