package dev.mlops.model.forest;

import dev.mlops.model.TitanicData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The grower's forests against Smile's own {@code RandomForest.fit}, node by node. */
class ForestGrowerTest {

    private static double[][] x;
    private static int[] y;

    @BeforeAll
    static void titanic() {
        TitanicData.Encoded titanic = TitanicData.encoded();
        x = titanic.x();
        y = titanic.y();
    }

    @Test
    void growsSmilesTreesForEveryParameterOfThePublishedGrid() throws Exception {
        // the Titanic features are full of ties (one-hot columns, ages, fares): the split scan must see them in
        // Smile's order
        ForestGrower grower = new ForestGrower(x, y);
        for (ForestParams params : new ForestParams[] {new ForestParams(30, null, 2, 1),
                new ForestParams(30, 10, 5, 1), new ForestParams(20, 20, 10, 2), new ForestParams(20, 30, 2, 4),
                new ForestParams(25, 1, 2, 1)}) {
            for (long seed : new long[] {42, 7}) {
                RandomForestClassifier smile = RandomForestClassifier.fitBySmile(x, y, params, seed);

                CompiledForest grown = grower.grow(params, seed);

                assertSameTrees(grown, CompiledForest.compile(smile), params + " seed " + seed);
                assertThat(grown.predict(x)).as("predictions of %s", params).containsExactly(smile.predict(x));
            }
        }
    }

    @Test
    void growsSmilesTreesForThreeClassesWithAMissingLabelAConstantFeatureAndOneFeature() throws Exception {
        Random random = new Random(5);
        double[][] rows = new double[150][];
        int[] labels = new int[150];
        for (int i = 0; i < rows.length; i++) {
            labels[i] = new int[] {0, 2, 3}[i % 3]; // label 1 absent: Smile encodes 0, 2, 3 as classes 0, 1, 2
            rows[i] = new double[] {labels[i] + random.nextGaussian(), Math.round(random.nextGaussian() * 2), 1.0,
                    random.nextInt(3)};
        }
        double[][] oneFeature = Arrays.stream(rows).map(row -> new double[] {row[0]}).toArray(double[][]::new);
        for (double[][] data : new double[][][] {rows, oneFeature}) {
            for (ForestParams params : new ForestParams[] {new ForestParams(15, null, 2, 1),
                    new ForestParams(15, 3, 4, 2)}) {
                RandomForestClassifier smile = RandomForestClassifier.fitBySmile(data, labels, params, 3);

                CompiledForest grown = new ForestGrower(data, labels).grow(params, 3);

                assertSameTrees(grown, CompiledForest.compile(smile), params + " on " + data[0].length + " features");
                assertThat(grown.predict(data)).containsExactly(smile.predict(data));
                assertThat(grown.classes()).isEqualTo(4);
            }
        }
    }

    @Test
    void growsTheSameForestOnAnyNumberOfThreads() throws Exception {
        ForestGrower grower = new ForestGrower(x, y);
        for (ForestParams params : new ForestParams[] {new ForestParams(30, null, 2, 1), new ForestParams(7, 10, 5, 1),
                new ForestParams(1, null, 2, 1)}) {
            CompiledForest smile = CompiledForest.compile(RandomForestClassifier.fitBySmile(x, y, params, 42));
            for (int threads : new int[] {1, 2, 3, 16}) {
                CompiledForest grown = grower.grow(params, 42, threads);

                assertSameTrees(grown, smile, params + " on " + threads + " threads");
                assertThat(grown.predictProbabilities(x)).as("probabilities of %s on %d threads", params, threads)
                        .isDeepEqualTo(smile.predictProbabilities(x));
            }
        }
    }

    @Test
    void refusesWhatSmileRefuses() {
        assertThatThrownBy(() -> new ForestGrower(new double[][] {{1}, {2}}, new int[] {1, 1}))
                .hasMessageContaining("single class");
        assertThatThrownBy(() -> new ForestGrower(new double[][] {{1}, {2, 3}}, new int[] {0, 1}))
                .hasMessageContaining("has 2 features");
    }

    private static void assertSameTrees(CompiledForest grown, CompiledForest smile, String what) {
        assertThat(grown.trees()).as("trees of %s", what).isEqualTo(smile.trees());
        assertThat(grown.nodes()).as("nodes of %s", what).isEqualTo(smile.nodes());
        assertThat(grown.labels()).as("labels of %s", what).containsExactly(smile.labels());
        for (int t = 0; t < smile.trees(); t++) {
            assertThat(grown.root(t)).as("root of tree %d of %s", t, what).isEqualTo(smile.root(t));
        }
        for (int n = 0; n < smile.nodes(); n++) {
            assertThat(grown.feature(n)).as("feature of node %d of %s", n, what).isEqualTo(smile.feature(n));
            if (smile.feature(n) == CompiledForest.LEAF) {
                assertThat(grown.leafFractions(n)).as("leaf %d of %s", n, what).containsExactly(smile.leafFractions(n));
            } else {
                assertThat(grown.threshold(n)).as("threshold of node %d of %s", n, what).isEqualTo(smile.threshold(n));
                assertThat(grown.trueChild(n)).as("true child of node %d of %s", n, what).isEqualTo(smile.trueChild(n));
                assertThat(grown.falseChild(n)).as("false child of node %d of %s", n, what)
                        .isEqualTo(smile.falseChild(n));
            }
        }
    }
}
