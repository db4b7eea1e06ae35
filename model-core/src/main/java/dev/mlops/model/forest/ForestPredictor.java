package dev.mlops.model.forest;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Predicts through a {@link CompiledForest} when the forest compiles and passes its self-check, else through
 * {@link RandomForestClassifier#predict(double[][])} (Smile's trees), after logging why. Either way the
 * predictions are the same; only the speed differs.
 */
public final class ForestPredictor {

    private static final Logger LOG = Logger.getLogger(ForestPredictor.class.getName());

    private final RandomForestClassifier model;
    private final CompiledForest compiled;

    private ForestPredictor(RandomForestClassifier model, CompiledForest compiled) {
        this.model = model;
        this.compiled = compiled;
    }

    public static ForestPredictor of(RandomForestClassifier model) {
        try {
            return new ForestPredictor(model, CompiledForest.compile(model));
        } catch (ForestNotCompiledException e) {
            LOG.log(Level.WARNING, e, () -> "The forest (" + model.treeCount() + " trees) is not compiled, "
                    + "predictions go through Smile's trees: " + e.getMessage());
            return new ForestPredictor(model, null);
        }
    }

    public int[] predict(double[][] x) {
        return compiled != null ? compiled.predict(x) : model.predict(x);
    }

    /** Whether predictions walk the flat-array copy of the forest (else Smile's trees). */
    public boolean compiled() {
        return compiled != null;
    }
}
