package dev.mlops.model.estimator;

import smile.classification.LogisticRegression;

import java.io.Serial;
import java.util.Arrays;
import java.util.Map;

/**
 * L2-regularised logistic regression: Smile's {@link LogisticRegression} (binomial for two classes, multinomial
 * above), after scikit-learn's {@code LogisticRegression(penalty="l2")}.
 *
 * <p>How scikit-learn's hyper-parameters map onto Smile's (Smile 3.1.1, {@code LogisticRegression.fit}):
 * <ul>
 *   <li>{@code C} -> {@code lambda = 1 / C}. scikit-learn minimises {@code C·Σ logloss + ½‖w‖²}, Smile
 *       {@code Σ logloss + ½·lambda·‖w‖²}; dividing scikit-learn's objective by C gives Smile's with
 *       lambda = 1/C, so both have the same minimum. Neither penalises the intercept.</li>
 *   <li>{@code max_iter} -> {@code maxIter} (Smile's L-BFGS iterations, as scikit-learn's lbfgs solver).</li>
 *   <li>{@code tol=1e-4} -> {@code tolerance = 1e-5}, Smile's default: the two solvers measure convergence
 *       differently, and Smile's tighter default lands nearer the common minimum.</li>
 * </ul>
 * Features are expected standardised (the preprocessor scales numeric columns), as both libraries advise.
 */
public final class LogisticRegressionClassifier implements Classifier {

    @Serial
    private static final long serialVersionUID = 1L;
    private static final double TOLERANCE = 1e-5;

    private final LogisticRegression model;
    private final LogisticParams params;
    private final int features;
    private final int classes;

    private LogisticRegressionClassifier(LogisticRegression model, LogisticParams params, int features, int classes) {
        this.model = model;
        this.params = params;
        this.features = features;
        this.classes = classes;
    }

    public static LogisticRegressionClassifier fit(double[][] x, int[] y, LogisticParams params) {
        SmileData.classes(x, y); // the same checks as the tree learners'
        LogisticRegression model = LogisticRegression.fit(x, y, 1.0 / params.c(), TOLERANCE, params.maxIter());
        return new LogisticRegressionClassifier(model, params, x[0].length, Arrays.stream(y).max().orElseThrow() + 1);
    }

    @Override
    public int predict(double[] row) {
        SmileData.checkRow(row, features);
        return model.predict(row);
    }

    /** Smile's model, for tests that compare its coefficients with scikit-learn's. */
    LogisticRegression smileModel() {
        return model;
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
