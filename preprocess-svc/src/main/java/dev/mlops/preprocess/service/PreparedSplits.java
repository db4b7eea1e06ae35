package dev.mlops.preprocess.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.preprocess.Preprocessor;

/**
 * The stage's output before it is stored: the fitted transform, the raw rows of each split (views of the ingested
 * table: the feature matrices are computed as they are written, never held whole), raw labels, the run's task, and
 * the test rows as ingested (feature columns and target), for a model with its own preprocessor to be scored on.
 */
public record PreparedSplits(Preprocessor preprocessor, CsvTable train, CsvTable test,
                             LabelColumn yTrain, LabelColumn yTest, TargetTask task, CsvTable rawTest) {

    /** The preprocessed training split as one matrix (tests; the stage streams it instead). */
    public double[][] xTrain() {
        return preprocessor.transform(train);
    }

    public double[][] xTest() {
        return preprocessor.transform(test);
    }
}
