package dev.mlops.model.estimator;

/** A model that predicts a number. */
public interface Regressor extends TrainedModel {

    double predict(double[] row);

    default double[] predict(double[][] x) {
        double[] predictions = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            predictions[i] = predict(x[i]);
        }
        return predictions;
    }
}
