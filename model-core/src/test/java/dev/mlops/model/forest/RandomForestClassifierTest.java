package dev.mlops.model.forest;

import dev.mlops.model.TitanicData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RandomForestClassifierTest {

    /** One feature 0.00 .. 0.99; class 1 in the middle band [0.25, 0.75): two thresholds, so two levels of splits. */
    private static final double[][] X = new double[100][];
    private static final int[] Y = new int[100];

    static {
        for (int i = 0; i < 100; i++) {
            X[i] = new double[] {i / 100.0};
            Y[i] = i >= 25 && i < 75 ? 1 : 0;
        }
    }

    @Test
    void sameSeedGivesTheSameForest() {
        ForestParams params = new ForestParams(30, null, 2, 1);
        double[][] probe = {{0.1}, {0.245}, {0.5}, {0.752}, {0.99}};

        double[][] first = RandomForestClassifier.fit(X, Y, params, 7).predictProbabilities(probe);
        double[][] second = RandomForestClassifier.fit(X, Y, params, 7).predictProbabilities(probe);

        assertThat(second).isDeepEqualTo(first);
    }

    @Test
    void maxDepthCountsSplitLevelsAsScikitLearnDoes() {
        // single trees: averaged stumps at different thresholds could draw the band
        double stump = accuracy(RandomForestClassifier.fit(X, Y, new ForestParams(1, 1, 2, 1), 1));
        double twoLevels = accuracy(RandomForestClassifier.fit(X, Y, new ForestParams(1, 2, 2, 1), 1));

        assertThat(stump).as("one split cannot isolate a middle band").isLessThanOrEqualTo(0.75);
        assertThat(twoLevels).as("max_depth 2 allows the two thresholds").isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void minSamplesLeafLargerThanHalfTheRowsLeavesTreesUnsplit() {
        RandomForestClassifier forest = RandomForestClassifier.fit(X, Y, new ForestParams(10, null, 2, 60), 1);

        double[][] probabilities = forest.predictProbabilities(X);

        assertThat(Arrays.stream(probabilities).mapToDouble(p -> p[1]).distinct().count())
                .as("every row gets the same (root) probability").isEqualTo(1);
    }

    @Test
    void probabilitiesAreMeansOfLeafFractions() {
        RandomForestClassifier forest = RandomForestClassifier.fit(X, Y, new ForestParams(20, null, 2, 1), 3);

        double[][] probabilities = forest.predictProbabilities(new double[][] {{0.5}, {0.0}});

        assertThat(probabilities[0][0] + probabilities[0][1]).isCloseTo(1.0, within(1e-12));
        assertThat(probabilities[0][1]).isGreaterThan(0.9);
        assertThat(forest.predict(new double[] {0.5})).isEqualTo(1);
        assertThat(forest.predict(new double[] {0.0})).isEqualTo(0);
        assertThat(forest.treeCount()).isEqualTo(20);
    }

    @Test
    void fitGrowsTheForestSmileFitsAndBothSurviveSerialization() throws Exception {
        TitanicData.Encoded titanic = TitanicData.encoded();
        ForestParams params = new ForestParams(40, null, 2, 1);

        RandomForestClassifier grown = RandomForestClassifier.fit(titanic.x(), titanic.y(), params, 42);
        RandomForestClassifier smile = RandomForestClassifier.fitBySmile(titanic.x(), titanic.y(), params, 42);

        assertThat(grown.smileForest()).isNull();
        assertThat(smile.smileForest()).isNotNull();
        assertThat(grown.treeCount()).isEqualTo(smile.treeCount()).isEqualTo(40);
        assertThat(grown.classCount()).isEqualTo(smile.classCount());
        assertThat(grown.featureCount()).isEqualTo(smile.featureCount());
        double[][] expected = smile.predictProbabilities(titanic.x());
        assertThat(grown.predictProbabilities(titanic.x())).isDeepEqualTo(expected);
        assertThat(grown.predict(titanic.x())).containsExactly(smile.predict(titanic.x()));
        // a bundle written before the grower holds Smile's forest: it must still load and predict the same
        for (RandomForestClassifier model : new RandomForestClassifier[] {grown, smile}) {
            assertThat(copy(model).predictProbabilities(titanic.x())).isDeepEqualTo(expected);
        }
        assertThat(serialized(grown).length).as("bytes of the grown forest next to Smile's")
                .isLessThan(serialized(smile).length);
    }

    @Test
    void badTrainingInputIsRefused() {
        assertThatThrownBy(() -> RandomForestClassifier.fit(X, new int[100], new ForestParams(5, null, 2, 1), 1))
                .hasMessageContaining("single class");
        assertThatThrownBy(() -> RandomForestClassifier.fit(X, new int[3], new ForestParams(5, null, 2, 1), 1))
                .hasMessage("100 training rows but 3 labels");
        assertThatThrownBy(() -> new ForestParams(100, 0, 2, 1)).hasMessageContaining("max_depth");
        RandomForestClassifier forest = RandomForestClassifier.fit(X, Y, new ForestParams(5, null, 2, 1), 1);
        assertThatThrownBy(() -> forest.predict(new double[] {1, 2})).hasMessage("a row has 2 features, the model expects 1");
    }

    private static byte[] serialized(RandomForestClassifier model) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        return bytes.toByteArray();
    }

    private static RandomForestClassifier copy(RandomForestClassifier model) throws Exception {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialized(model)))) {
            return (RandomForestClassifier) in.readObject();
        }
    }

    private static double accuracy(RandomForestClassifier forest) {
        int[] predicted = forest.predict(X);
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) {
            correct += predicted[i] == Y[i] ? 1 : 0;
        }
        return correct / (double) predicted.length;
    }
}
