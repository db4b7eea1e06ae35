package dev.mlops.model.forest;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.TitanicData;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.preprocess.Preprocessor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published workflow end to end on the shipped data: preprocessor fitted on all rows, scikit-learn's 80/20
 * split (seed 42, the same 178 test rows), the grid's best parameters. scikit-learn's forest scores 0.809 there.
 */
class TitanicForestTest {

    @Test
    void bestGridParamsReachTheReferenceAccuracyOnTheReferenceSplit() {
        CsvTable raw = TitanicData.raw();
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        TrainTestSplit split = TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42);
        double[][] x = preprocessor.transform(raw);
        List<String> labels = raw.column("Survived");
        List<String> classes = Labels.classLabels(labels);
        int[] y = Labels.encode(labels, classes);

        RandomForestClassifier forest = RandomForestClassifier.fit(rows(x, split.train()), pick(y, split.train()),
                new ForestParams(200, 10, 5, 1), 42);
        ClassificationMetrics metrics = ClassificationMetrics.of(pick(y, split.test()),
                forest.predict(rows(x, split.test())), classes);

        System.out.printf("Titanic, fitOn=all, best grid params: test accuracy %.4f, weighted F1 %.4f%n%s%n%s",
                metrics.accuracy(), metrics.f1(), metrics.report(), metrics.confusionMatrixText());
        assertThat(metrics.support()).isEqualTo(178);
        assertThat(metrics.accuracy()).isGreaterThanOrEqualTo(0.80);
    }

    static double[][] rows(double[][] x, int[] indexes) {
        double[][] picked = new double[indexes.length][];
        for (int i = 0; i < indexes.length; i++) {
            picked[i] = x[indexes[i]];
        }
        return picked;
    }

    static int[] pick(int[] y, int[] indexes) {
        int[] picked = new int[indexes.length];
        for (int i = 0; i < indexes.length; i++) {
            picked[i] = y[indexes[i]];
        }
        return picked;
    }
}
