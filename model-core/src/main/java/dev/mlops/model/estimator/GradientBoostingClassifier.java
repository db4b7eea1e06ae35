package dev.mlops.model.estimator;

import smile.classification.GradientTreeBoost;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.math.MathEx;

import java.io.Serial;
import java.util.Arrays;
import java.util.Map;

/**
 * Gradient-boosted trees for classification: Smile's {@link GradientTreeBoost}, configured after scikit-learn's
 * {@code GradientBoostingClassifier}.
 *
 * <p>How scikit-learn's hyper-parameters map onto Smile's (Smile 3.1.1, {@code GradientTreeBoost.fit}):
 * <ul>
 *   <li>{@code n_estimators} -> {@code ntrees} (boosting stages; with k > 2 classes both grow k trees a stage).</li>
 *   <li>{@code learning_rate} -> {@code shrinkage}.</li>
 *   <li>{@code max_depth} -> {@code maxDepth = max_depth + 1} (Smile counts the root as depth 1), None -> unlimited.</li>
 *   <li>{@code max_leaf_nodes=None} -> {@code maxNodes = Integer.MAX_VALUE} (Smile's default is 6 leaves).</li>
 *   <li>{@code min_samples_leaf} -> {@code nodeSize} (Smile's default is 5).</li>
 *   <li>{@code subsample} -> {@code subsample}: rows drawn without replacement per stage when below 1.</li>
 *   <li>{@code loss="log_loss"}: Smile's binary loss is the logistic one too (Friedman's two-class form, whose
 *       margin is half scikit-learn's; the fitted class boundaries match closely, see the tests).</li>
 *   <li>{@code random_state} -> Smile's per-thread RNG seeded with {@code seed} before fitting.</li>
 * </ul>
 */
public final class GradientBoostingClassifier implements Classifier {

    @Serial
    private static final long serialVersionUID = 1L;

    private final GradientTreeBoost model;
    private final BoostingParams params;
    private final int features;
    private final int classes;

    private GradientBoostingClassifier(GradientTreeBoost model, BoostingParams params, int features, int classes) {
        this.model = model;
        this.params = params;
        this.features = features;
        this.classes = classes;
    }

    /** Fits on rows {@code x} with class indexes {@code y}; the same data, parameters and seed give the same model. */
    public static GradientBoostingClassifier fit(double[][] x, int[] y, BoostingParams params, long seed) {
        var data = SmileData.classes(x, y);
        MathEx.setSeed(seed);
        GradientTreeBoost model = GradientTreeBoost.fit(Formula.lhs(SmileData.LABEL), data, params.nEstimators(),
                params.smileMaxDepth(), Integer.MAX_VALUE, params.minSamplesLeaf(), params.learningRate(),
                params.subsample());
        return new GradientBoostingClassifier(model, params, x[0].length, Arrays.stream(y).max().orElseThrow() + 1);
    }

    @Override
    public int predict(double[] row) {
        SmileData.checkRow(row, features);
        return model.predict(Tuple.of(row, model.schema()));
    }

    @Override
    public int classCount() {
        return classes;
    }

    @Override
    public int featureCount() {
        return features;
    }

    @Override
    public Map<String, String> hyperParameters() {
        return params.asSklearnParams();
    }
}
