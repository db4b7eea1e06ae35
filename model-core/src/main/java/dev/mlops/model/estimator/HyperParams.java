package dev.mlops.model.estimator;

import java.io.Serializable;
import java.util.Map;

/** One model type's hyper-parameters: one candidate of a grid search. */
public interface HyperParams extends Serializable {

    /** The parameters under scikit-learn's names ("None" for unlimited), in a fixed order: for params, metadata, CSV. */
    Map<String, String> asSklearnParams();
}
