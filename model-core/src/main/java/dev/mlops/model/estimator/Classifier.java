package dev.mlops.model.estimator;

/** A model that predicts class indexes 0..{@link #classCount()}-1 (into the bundle's class labels). */
public interface Classifier extends TrainedModel {

    int predict(double[] row);

    default int[] predict(double[][] x) {
        int[] predictions = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            predictions[i] = predict(x[i]);
        }
        return predictions;
    }

    /** The number of label indexes this model answers with (the largest training label + 1). */
    int classCount();
}
