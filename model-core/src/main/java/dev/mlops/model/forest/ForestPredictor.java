package dev.mlops.model.forest;

import dev.mlops.model.estimator.Classifier;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Predicts a classifier's classes; for a random forest through a {@link CompiledForest} when the forest compiles and
 * passes its self-check, else through {@link RandomForestClassifier#predict(double[][])} (Smile's trees), after
 * logging why. Either way the predictions are the same; only the speed differs. Other classifiers predict through
 * their own model.
 */
public final class ForestPredictor {

    private static final Logger LOG = Logger.getLogger(ForestPredictor.class.getName());

    private final Classifier model;
    private final CompiledForest compiled;
    private final int trees;

    private ForestPredictor(Classifier model, CompiledForest compiled, int trees) {
        this.model = model;
        this.compiled = compiled;
        this.trees = trees;
    }

    public static ForestPredictor of(Classifier classifier) {
        if (!(classifier instanceof RandomForestClassifier model)) {
            return new ForestPredictor(classifier, null, 0);
        }
        try {
            return new ForestPredictor(model, CompiledForest.compile(model), model.treeCount());
        } catch (ForestNotCompiledException e) {
            LOG.log(Level.WARNING, e, () -> "The forest (" + model.treeCount() + " trees) is not compiled, "
                    + "predictions go through Smile's trees: " + e.getMessage());
            return new ForestPredictor(model, null, model.treeCount());
        }
    }

    public int[] predict(double[][] x) {
        return compiled != null ? compiled.predict(x) : model.predict(x);
    }

    /** The random forest's tree count; 0 for another classifier. */
    public int treeCount() {
        return trees;
    }

    /** Whether predictions walk the flat-array copy of the forest (else Smile's trees or another model). */
    public boolean compiled() {
        return compiled != null;
    }
}
