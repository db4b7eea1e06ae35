package dev.mlops.train.service;

import java.util.List;

/**
 * The preprocessed training split: feature rows and their labels, and the feature names the rows follow. For a
 * classification run the labels are indexes {@code y} into {@code classLabels} (sorted as scikit-learn sorts them)
 * and {@code values} is null; for a regression run {@code values} holds the target numbers, {@code y} is empty and
 * there are no class labels.
 */
public record TrainingSet(double[][] x, int[] y, double[] values, List<String> classLabels, List<String> featureNames) {

    public TrainingSet {
        classLabels = List.copyOf(classLabels);
        featureNames = List.copyOf(featureNames);
        int labels = values != null ? values.length : y.length;
        if (x.length != labels) {
            throw new IllegalArgumentException(x.length + " feature rows but " + labels + " labels");
        }
    }

    /** A classification training set. */
    public TrainingSet(double[][] x, int[] y, List<String> classLabels, List<String> featureNames) {
        this(x, y, null, classLabels, featureNames);
    }

    /** A regression training set. */
    public static TrainingSet regression(double[][] x, double[] values, List<String> featureNames) {
        return new TrainingSet(x, new int[0], values, List.of(), featureNames);
    }

    public boolean regression() {
        return values != null;
    }

    public int rows() {
        return x.length;
    }
}
