package dev.mlops.model.estimator;

import java.io.Serial;
import java.util.Map;

/** What every fitted model here keeps besides Smile's model: its hyper-parameters and its feature count. */
abstract class SmileModel implements TrainedModel {

    @Serial
    private static final long serialVersionUID = 1L;

    private final HyperParams params;
    private final int features;

    SmileModel(HyperParams params, int features) {
        this.params = params;
        this.features = features;
    }

    @Override
    public final int featureCount() {
        return features;
    }

    @Override
    public final Map<String, String> hyperParameters() {
        return params.asSklearnParams();
    }

    /** Throws when {@code row} does not have the model's feature count. */
    final void checkRow(double[] row) {
        SmileData.checkRow(row, features);
    }
}
