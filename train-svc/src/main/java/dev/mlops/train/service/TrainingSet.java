package dev.mlops.train.service;

import java.util.List;

/**
 * The preprocessed training split: feature rows, labels as indexes into {@code classLabels} (sorted as
 * scikit-learn sorts them), and the feature names the rows follow.
 */
public record TrainingSet(double[][] x, int[] y, List<String> classLabels, List<String> featureNames) {

    public TrainingSet {
        classLabels = List.copyOf(classLabels);
        featureNames = List.copyOf(featureNames);
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " feature rows but " + y.length + " labels");
        }
    }

    public int rows() {
        return x.length;
    }
}
