package dev.mlops.model.estimator;

import java.io.Serializable;
import java.util.Map;

/**
 * A fitted model over preprocessed numeric feature rows: a {@link Classifier} (class indexes) or a {@link Regressor}
 * (numbers). What a model bundle holds and serialises; {@link Estimators} fits one of each model type.
 */
public interface TrainedModel extends Serializable {

    /** How many features a row must have. */
    int featureCount();

    /** The model's hyper-parameters under scikit-learn's names ("None" for unlimited): for params and metadata. */
    Map<String, String> hyperParameters();
}
