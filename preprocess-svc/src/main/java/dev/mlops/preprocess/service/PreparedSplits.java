package dev.mlops.preprocess.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.preprocess.Preprocessor;

/**
 * The stage's output before it is stored: preprocessed feature matrices, raw labels, the fitted transform, the run's
 * task, and the test rows as ingested (feature columns and target), for a model with its own preprocessor to be
 * scored on.
 */
public record PreparedSplits(Preprocessor preprocessor, double[][] xTrain, double[][] xTest,
                             LabelColumn yTrain, LabelColumn yTest, TargetTask task, CsvTable rawTest) {
}
