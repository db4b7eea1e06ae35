package dev.mlops.evaluate.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.evaluate.TitanicModel;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

class ModelEvaluationTest {

    private static final TitanicModel MODEL = TitanicModel.train(new ForestParams(50, 10, 2, 1));

    @Test
    void scoresTheModelOnTheTestSplit() {
        ClassificationMetrics metrics = ModelEvaluation.evaluate(MODEL.bundle(), MODEL.xTest(), MODEL.yTest());

        assertThat(metrics.support()).isEqualTo(178);
        assertThat(metrics.labels()).containsExactly("0", "1");
        int[] matrix = {metrics.confusionMatrix()[0][0], metrics.confusionMatrix()[1][1]};
        assertThat((matrix[0] + matrix[1]) / 178.0).isEqualTo(metrics.accuracy());
        assertThat(metrics.accuracy()).isGreaterThan(0.75);
    }

    @Test
    void aTestLabelTheModelNeverSawCountsAsWrong() {
        List<String> labels = new ArrayList<>(MODEL.yTest().values());
        labels.set(0, "2");

        ClassificationMetrics metrics = ModelEvaluation.evaluate(MODEL.bundle(), MODEL.xTest(), new LabelColumn("Survived", labels));

        assertThat(metrics.labels()).containsExactly("0", "1", "2");
        assertThat(metrics.perClass().get(2).recall()).isZero();
    }

    @Test
    void mismatchedTestFilesFailSayingHow() {
        assertThatThrownBy(() -> ModelEvaluation.evaluate(MODEL.bundle(), MODEL.xTest(), new LabelColumn("Died", MODEL.yTest().values())))
                .isInstanceOf(StageFailure.class).hasMessage("the test labels are of column 'Died', the model predicts 'Survived'");
        assertThatThrownBy(() -> ModelEvaluation.evaluate(MODEL.bundle(), MODEL.xTest(),
                new LabelColumn("Survived", MODEL.yTest().values().subList(0, 10))))
                .isInstanceOf(StageFailure.class).hasMessage("the test split has 178 feature rows but 10 labels");
        CsvTable renamed = new CsvTable(Labels.classLabels(MODEL.xTest().header()), MODEL.xTest().rows());
        assertThatThrownBy(() -> ModelEvaluation.evaluate(MODEL.bundle(), renamed, MODEL.yTest()))
                .isInstanceOf(StageFailure.class).hasMessageContaining("the test features do not fit the model");
    }

    @Test
    void gateFailsBelowTheThresholdSayingBothFigures() {
        ClassificationMetrics metrics = ClassificationMetrics.of(new int[] {0, 1, 1, 0}, new int[] {0, 1, 0, 1}, List.of("0", "1"));

        assertThatThrownBy(() -> ModelEvaluation.checkGate(metrics, 0.75, "s3://b/report.txt"))
                .isInstanceOf(StageFailure.class)
                .hasMessage("quality gate failed: test accuracy 0.5000 is below gate.minAccuracy 0.7500 (4 test rows; report: s3://b/report.txt)");
        assertThatNoException().isThrownBy(() -> ModelEvaluation.checkGate(metrics, 0.5, "s3://b/report.txt"));
    }
}
