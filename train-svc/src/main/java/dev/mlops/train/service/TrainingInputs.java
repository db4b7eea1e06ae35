package dev.mlops.train.service;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactStoreException;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** What train reads from preprocess's artifacts: the training split and the fitted preprocessor. */
public record TrainingInputs(TrainingSet training, Preprocessor preprocessor) {

    public static final String X_TRAIN = "preprocess/X_train.csv";
    public static final String Y_TRAIN = "preprocess/y_train.csv";
    public static final String PREPROCESSOR = "preprocess/preprocessor.json";

    public static TrainingInputs read(StageEvent input, ArtifactStore store) {
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.fromJson(new String(fetch(input, PREPROCESSOR, store), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new StageFailure(PREPROCESSOR + " is not a valid preprocessor: " + e.getMessage(), e);
        }
        double[][] x = readFeatures(input, store, preprocessor.featureNames());
        List<String> labels;
        try {
            labels = LabelColumn.parse(fetch(input, Y_TRAIN, store)).values();
        } catch (CsvFormatException e) {
            throw new StageFailure(Y_TRAIN + ": " + e.getMessage(), e);
        }
        if (x.length != labels.size()) {
            throw new StageFailure(X_TRAIN + " has " + x.length + " rows but " + Y_TRAIN + " has " + labels.size()
                    + " labels");
        }
        if (x.length == 0) {
            throw new StageFailure(X_TRAIN + " has no rows: nothing to train on");
        }
        if (PipelineSpec.REGRESSION.equals(task(input))) {
            return new TrainingInputs(TrainingSet.regression(x, numbers(labels), preprocessor.featureNames()),
                    preprocessor);
        }
        List<String> classLabels = Labels.classLabels(labels);
        if (classLabels.size() < 2) {
            throw new StageFailure(Y_TRAIN + " has a single class ('" + classLabels.get(0)
                    + "'): a classifier needs at least two");
        }
        TrainingSet training = new TrainingSet(x, Labels.encode(labels, classLabels), classLabels,
                preprocessor.featureNames());
        return new TrainingInputs(training, preprocessor);
    }

    /**
     * The run's task: what preprocess inferred or was told (its param {@code task}); a run preprocessed before tasks
     * existed is a classification.
     */
    public static String task(StageEvent input) {
        String task = input.params().get("task");
        if (task != null) {
            return task;
        }
        return input.spec().task() != null ? input.spec().task() : PipelineSpec.CLASSIFICATION;
    }

    private static double[] numbers(List<String> labels) {
        double[] values = new double[labels.size()];
        for (int i = 0; i < values.length; i++) {
            try {
                values[i] = Double.parseDouble(labels.get(i).trim());
            } catch (NumberFormatException e) {
                values[i] = Double.NaN;
            }
            if (!Double.isFinite(values[i])) {
                throw new StageFailure(Y_TRAIN + " row " + (i + 1) + " holds '" + labels.get(i)
                        + "', not a number: a regression target must be numeric");
            }
        }
        return values;
    }

    /** X_train streamed from the store into rows: its text (hundreds of MB for a million rows) is never held. */
    private static double[][] readFeatures(StageEvent input, ArtifactStore store, List<String> features) {
        URI uri = InputArtifacts.uri(input, X_TRAIN, "train");
        try (InputStream in = store.open(uri)) {
            return FeatureTable.read(in, features);
        } catch (CsvFormatException e) {
            throw new StageFailure(X_TRAIN + ": " + e.getMessage(), e);
        } catch (IOException | ArtifactStoreException e) {
            throw InputArtifacts.failure(X_TRAIN, uri, e);
        }
    }

    private static byte[] fetch(StageEvent input, String name, ArtifactStore store) {
        return InputArtifacts.read(store, input, name, "train");
    }
}
