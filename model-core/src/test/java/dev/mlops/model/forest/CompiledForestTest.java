package dev.mlops.model.forest;

import dev.mlops.model.TitanicData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The flat-array forest against Smile's trees on forests trained on the shipped Titanic data. */
class CompiledForestTest {

    private static double[][] x;
    private static int[] y;

    @BeforeAll
    static void titanic() {
        TitanicData.Encoded titanic = TitanicData.encoded();
        x = titanic.x();
        y = titanic.y();
    }

    @Test
    void predictsAsSmileOnEveryRowForLimitedAndUnlimitedDepth() throws Exception {
        for (ForestParams params : new ForestParams[] {new ForestParams(40, 10, 5, 1), new ForestParams(20, null, 2, 1),
                new ForestParams(15, 4, 10, 4)}) {
            RandomForestClassifier model = RandomForestClassifier.fitBySmile(x, y, params, 7);

            CompiledForest compiled = CompiledForest.compile(model);

            assertThat(compiled.predict(x)).as("predictions of %s", params).containsExactly(model.predict(x));
        }
    }

    @Test
    void givesSmilesProbabilitiesJustBelowAtAndJustAboveEverySplitThreshold() throws Exception {
        RandomForestClassifier model = RandomForestClassifier.fitBySmile(x, y, new ForestParams(30, null, 2, 1), 11);
        CompiledForest compiled = CompiledForest.compile(model);
        Set<List<Double>> splits = new LinkedHashSet<>();
        for (int n = 0; n < compiled.nodes(); n++) {
            if (compiled.feature(n) != CompiledForest.LEAF) {
                splits.add(List.of((double) compiled.feature(n), compiled.threshold(n)));
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (List<Double> split : splits) {
            double threshold = split.get(1);
            for (double value : new double[] {Math.nextDown(threshold), threshold, Math.nextUp(threshold)}) {
                for (int i = 0; i < 10; i++) {
                    double[] row = x[i * 37].clone();
                    row[split.get(0).intValue()] = value;
                    rows.add(row);
                }
            }
        }
        double[][] probes = rows.toArray(double[][]::new);

        double[][] smile = model.predictProbabilities(probes);

        assertThat(splits).as("distinct (feature, threshold) splits").hasSizeGreaterThan(20);
        double[] sum = new double[compiled.classes()];
        for (int i = 0; i < probes.length; i++) {
            compiled.probabilities(probes[i], sum);
            assertThat(sum).as("probabilities of probe row %d", i).containsExactly(smile[i]);
        }
        assertThat(compiled.predict(probes)).containsExactly(model.predict(probes));
    }

    @Test
    void selfCheckSendsThreeRowsThroughEverySplit() throws Exception {
        RandomForestClassifier model = RandomForestClassifier.fitBySmile(x, y, new ForestParams(25, 8, 2, 1), 3);
        CompiledForest compiled = CompiledForest.compile(model);
        int splits = 0;
        for (int n = 0; n < compiled.nodes(); n++) {
            splits += compiled.feature(n) == CompiledForest.LEAF ? 0 : 1;
        }

        int probes = new ThresholdProbes(compiled, model).check();

        assertThat(probes).isEqualTo(3 * splits);
    }

    @Test
    void selfCheckRefusesACopyWithAnyThresholdOfTheFirstTreeOneStepOff() throws Exception {
        RandomForestClassifier model = RandomForestClassifier.fitBySmile(x, y, new ForestParams(5, 6, 2, 1), 5);
        CompiledForest compiled = CompiledForest.compile(model);
        int tampered = 0;
        for (int n = compiled.root(0); n < compiled.root(1); n++) {
            if (compiled.feature(n) == CompiledForest.LEAF) {
                continue;
            }
            double threshold = compiled.threshold(n);
            for (double moved : new double[] {Math.nextDown(threshold), Math.nextUp(threshold)}) {
                CompiledForest wrong = compiled.withThreshold(n, moved);

                assertThatThrownBy(() -> new ThresholdProbes(wrong, model).check())
                        .as("node %d threshold %s moved to %s", n, threshold, moved)
                        .isInstanceOf(ForestNotCompiledException.class)
                        .hasMessageContaining("reaches another leaf than in Smile's tree");
                tampered++;
            }
        }
        assertThat(tampered).isGreaterThan(4);
    }
}
