package dev.mlops.train.service;

/**
 * scikit-learn's {@code KFold(n_splits, shuffle=False)}, which {@code GridSearchCV(cv=k)} uses for a regressor:
 * consecutive blocks of rows, the first {@code rows % folds} blocks one row larger.
 */
public final class KFold {

    private KFold() {
    }

    /**
     * The test fold (0..folds-1) of every row.
     *
     * @throws IllegalArgumentException when there are fewer rows than folds
     */
    public static int[] testFolds(int rows, int folds) {
        if (folds < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
        }
        if (rows < folds) {
            throw new IllegalArgumentException("cv=" + folds + " but the training split has only " + rows
                    + " rows: every fold needs at least one");
        }
        int[] testFold = new int[rows];
        int row = 0;
        for (int f = 0; f < folds; f++) {
            int size = rows / folds + (f < rows % folds ? 1 : 0);
            for (int i = 0; i < size; i++) {
                testFold[row++] = f;
            }
        }
        return testFold;
    }
}
