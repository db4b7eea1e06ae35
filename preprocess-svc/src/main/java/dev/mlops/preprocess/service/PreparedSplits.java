package dev.mlops.preprocess.service;

import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.preprocess.Preprocessor;

/**
 * The stage's output before it is stored: preprocessed feature matrices, raw labels, the fitted transform and the
 * run's task.
 */
public record PreparedSplits(Preprocessor preprocessor, double[][] xTrain, double[][] xTest,
                             LabelColumn yTrain, LabelColumn yTest, TargetTask task) {
}
