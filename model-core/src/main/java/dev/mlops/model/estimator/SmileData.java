package dev.mlops.model.estimator;

import smile.data.DataFrame;
import smile.data.vector.DoubleVector;
import smile.data.vector.IntVector;

import java.util.Arrays;

/** Training data as Smile's tree learners take it: columns x0..x(p-1) and the label column, checked first. */
public final class SmileData {

    public static final String LABEL = "label";

    private SmileData() {
    }

    /** Rows {@code x} and class indexes {@code y}: at least two classes. */
    public static DataFrame classes(double[][] x, int[] y) {
        checkClasses(x, y);
        return DataFrame.of(x, names(x[0].length)).merge(IntVector.of(LABEL, y));
    }

    /**
     * The feature count of {@code x}, after checking it as {@link #features} does and that {@code y} holds class
     * indexes of at least two classes.
     */
    public static int checkClasses(double[][] x, int[] y) {
        int p = features(x, y.length);
        if (Arrays.stream(y).anyMatch(label -> label < 0)) {
            throw new IllegalArgumentException("labels must be class indexes (0, 1, ...)");
        }
        if (Arrays.stream(y).distinct().count() < 2) {
            throw new IllegalArgumentException("the training labels have a single class (" + y[0]
                    + "): a classifier needs at least two");
        }
        return p;
    }

    /** Rows {@code x} and target values {@code y}: finite numbers. */
    public static DataFrame values(double[][] x, double[] y) {
        features(x, y.length);
        if (Arrays.stream(y).anyMatch(v -> !Double.isFinite(v))) {
            throw new IllegalArgumentException("regression targets must be finite numbers");
        }
        return DataFrame.of(x, names(x[0].length)).merge(DoubleVector.of(LABEL, y));
    }

    /**
     * The feature count of {@code x}, after checking it has rows, one per label, all of the same non-zero width.
     */
    public static int features(double[][] x, int labels) {
        if (x.length == 0) {
            throw new IllegalArgumentException("no training rows");
        }
        if (x.length != labels) {
            throw new IllegalArgumentException(x.length + " training rows but " + labels + " labels");
        }
        int p = x[0].length;
        if (p == 0) {
            throw new IllegalArgumentException("training rows have no features");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != p) {
                throw new IllegalArgumentException("training row " + (i + 1) + " has " + x[i].length
                        + " features, the first has " + p);
            }
        }
        return p;
    }

    /** Throws when a row to predict does not have the model's feature count. */
    public static void checkRow(double[] row, int features) {
        if (row.length != features) {
            throw new IllegalArgumentException("a row has " + row.length + " features, the model expects " + features);
        }
    }

    private static String[] names(int p) {
        String[] names = new String[p];
        for (int j = 0; j < p; j++) {
            names[j] = "x" + j;
        }
        return names;
    }
}
