package dev.mlops.model.forest;

import dev.mlops.model.TitanicData;
import dev.mlops.model.data.Labels;
import dev.mlops.model.preprocess.Preprocessor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import smile.base.cart.SplitRule;
import smile.classification.RandomForest;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.data.measure.NominalScale;
import smile.data.type.DataTypes;
import smile.data.type.StructField;
import smile.data.vector.IntVector;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/** Compiled when it can be, Smile's trees with the reason logged when it cannot: the same predictions either way. */
class ForestPredictorTest {

    private final List<LogRecord> logged = new CopyOnWriteArrayList<>();
    private final Logger logger = Logger.getLogger(ForestPredictor.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void captureLog() {
        logger.addHandler(capture);
    }

    @AfterEach
    void releaseLog() {
        logger.removeHandler(capture);
    }

    @Test
    void aForestTrainedByThisProjectIsCompiledWithoutWarnings() {
        var raw = TitanicData.raw();
        double[][] x = Preprocessor.fit(raw, TitanicData.FEATURES).transform(raw);
        int[] y = Labels.encode(raw.column("Survived"), Labels.classLabels(raw.column("Survived")));
        ForestParams params = new ForestParams(20, 10, 2, 1);
        // grown as train-svc grows it now, and fitted by Smile as in bundles written before the grower
        for (RandomForestClassifier model : new RandomForestClassifier[] {RandomForestClassifier.fit(x, y, params, 1),
                RandomForestClassifier.fitBySmile(x, y, params, 1)}) {
            ForestPredictor predictor = ForestPredictor.of(model);

            assertThat(predictor.compiled()).isTrue();
            assertThat(predictor.treeCount()).isEqualTo(20);
            assertThat(predictor.predict(x)).containsExactly(model.predict(x));
        }
        assertThat(logged).isEmpty();
    }

    @Test
    void aForestWithCategoricalSplitsFallsBackToSmilesTreesAndLogsWhy() {
        // input: a forest Smile fitted on a categorical column; the flat copy only has numeric (x <= t) splits
        int n = 300;
        double[][] x = new double[n][];
        int[] category = new int[n];
        int[] y = new int[n];
        SplittableRandom random = new SplittableRandom(9);
        for (int i = 0; i < n; i++) {
            category[i] = random.nextInt(3);
            x[i] = new double[] {random.nextDouble(-1, 1), category[i]};
            y[i] = (category[i] == 1) != (x[i][0] > 0.3) ? 1 : 0;
        }
        double[][] numeric = new double[n][];
        for (int i = 0; i < n; i++) {
            numeric[i] = new double[] {x[i][0]};
        }
        DataFrame data = DataFrame.of(numeric, "x0")
                .merge(IntVector.of(new StructField("x1", DataTypes.IntegerType, new NominalScale("a", "b", "c")),
                        category))
                .merge(IntVector.of("label", y));
        RandomForest smile = RandomForest.fit(Formula.lhs("label"), data, 20, 2, SplitRule.GINI, 20,
                Integer.MAX_VALUE, 1, 1.0, null, new SplittableRandom(3).longs(2, Long.MAX_VALUE));
        RandomForestClassifier model = RandomForestClassifier.of(smile, new ForestParams(20, 19, 2, 1), 3, 2, 2);

        ForestPredictor predictor = ForestPredictor.of(model);

        assertThat(predictor.compiled()).isFalse();
        int[] predicted = predictor.predict(x);
        assertThat(predicted).containsExactly(model.predict(x));
        int right = 0;
        for (int i = 0; i < n; i++) {
            right += predicted[i] == y[i] ? 1 : 0;
        }
        assertThat(right).as("training rows predicted right").isGreaterThan(n * 95 / 100);
        assertThat(logged).singleElement().satisfies(record -> {
            assertThat(record.getLevel()).isEqualTo(Level.WARNING);
            assertThat(record.getMessage()).contains("not compiled", "NominalNode", "categorical");
            assertThat(record.getThrown()).isInstanceOf(ForestNotCompiledException.class);
        });
    }
}
