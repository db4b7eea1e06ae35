package dev.mlops.model.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class ClassificationMetricsTest {

    private static final List<String> ANIMALS = List.of("bird", "cat", "dog");

    /** truth cat, cat, dog, dog, dog, bird; predicted cat, dog, dog, dog, cat, cat. */
    private final ClassificationMetrics small = ClassificationMetrics.of(
            new int[] {1, 1, 2, 2, 2, 0}, new int[] {1, 2, 2, 2, 1, 1}, ANIMALS);

    @Test
    void smallExampleMatchesHandComputedFigures() {
        assertThat(small.confusionMatrix()).isDeepEqualTo(new int[][] {{0, 1, 0}, {0, 1, 1}, {0, 1, 2}});
        assertThat(small.accuracy()).isEqualTo(0.5);
        // per class: bird never predicted (precision 0 by zero_division=0), cat 1/3 and 1/2, dog 2/3 and 2/3
        assertThat(small.perClass()).extracting(ClassificationMetrics.ClassMetrics::precision)
                .containsExactly(0.0, 1.0 / 3, 2.0 / 3);
        assertThat(small.perClass()).extracting(ClassificationMetrics.ClassMetrics::recall)
                .containsExactly(0.0, 0.5, 2.0 / 3);
        assertThat(small.perClass().get(1).f1()).isCloseTo(0.4, within(1e-15));
        assertThat(small.perClass()).extracting(ClassificationMetrics.ClassMetrics::support).containsExactly(1, 2, 3);
        assertThat(small.precision()).as("(0*1 + 1/3*2 + 2/3*3) / 6").isCloseTo(4.0 / 9, within(1e-15));
        assertThat(small.recall()).isCloseTo(0.5, within(1e-15));
        assertThat(small.f1()).as("(0*1 + 0.4*2 + 2/3*3) / 6").isCloseTo(2.8 / 6, within(1e-15));
    }

    @Test
    void reportIsScikitLearnsText() {
        assertThat(small.report()).isEqualTo("""
                              precision    recall  f1-score   support

                        bird       0.00      0.00      0.00         1
                         cat       0.33      0.50      0.40         2
                         dog       0.67      0.67      0.67         3

                    accuracy                           0.50         6
                   macro avg       0.33      0.39      0.36         6
                weighted avg       0.44      0.50      0.47         6
                """);
    }

    @Test
    void referenceConfusionMatrixGivesTheReferenceFigures() {
        // the scikit-learn reference's test split: [[98, 13], [21, 46]]
        int[] truth = IntStream.concat(IntStream.generate(() -> 0).limit(111), IntStream.generate(() -> 1).limit(67)).toArray();
        int[] predicted = IntStream.concat(IntStream.concat(IntStream.generate(() -> 0).limit(98), IntStream.generate(() -> 1).limit(13)),
                IntStream.concat(IntStream.generate(() -> 0).limit(21), IntStream.generate(() -> 1).limit(46))).toArray();

        ClassificationMetrics metrics = ClassificationMetrics.of(truth, predicted, List.of("0", "1"));

        assertThat(metrics.confusionMatrix()).isDeepEqualTo(new int[][] {{98, 13}, {21, 46}});
        assertThat(metrics.accuracy()).isCloseTo(0.8089887640449438, within(1e-15));
        assertThat(metrics.precision()).isCloseTo(0.8070171507948065, within(1e-15));
        assertThat(metrics.recall()).isCloseTo(0.8089887640449438, within(1e-15));
        assertThat(metrics.f1()).isCloseTo(0.8062468498228146, within(1e-15));
        assertThat(metrics.report()).isEqualTo("""
                              precision    recall  f1-score   support

                           0       0.82      0.88      0.85       111
                           1       0.78      0.69      0.73        67

                    accuracy                           0.81       178
                   macro avg       0.80      0.78      0.79       178
                weighted avg       0.81      0.81      0.81       178
                """);
        assertThat(metrics.confusionMatrixText()).contains("true 0           98           13", "true 1           21           46");
    }

    @Test
    void onlyClassesThatOccurAreReported() {
        ClassificationMetrics metrics = ClassificationMetrics.of(new int[] {0, 2}, new int[] {0, 2}, ANIMALS);

        assertThat(metrics.labels()).containsExactly("bird", "dog");
        assertThat(metrics.confusionMatrix()).isDeepEqualTo(new int[][] {{1, 0}, {0, 1}});
    }

    @Test
    void mapHoldsTheLoggedNamesAndPerClassFigures() {
        Map<String, Object> map = small.toMap();

        assertThat(map).containsEntry("accuracy", 0.5).containsEntry("support", 6).containsKeys(
                "precision", "recall", "f1_score", "per_class", "confusion_matrix", "labels");
        assertThat(((Map<?, ?>) map.get("per_class")).keySet()).map(Object::toString).containsExactly("bird", "cat", "dog");
    }

    @Test
    void roundingIsPythonsHalfEvenOnTheExactValue() {
        assertThat(ClassificationMetrics.format(0.125, 2)).isEqualTo("0.12");
        assertThat(ClassificationMetrics.format(0.375, 2)).isEqualTo("0.38");
        assertThat(ClassificationMetrics.format(2.675, 2)).as("2.675 is 2.67499999... in binary").isEqualTo("2.67");
    }

    @Test
    void mismatchedInputIsRefused() {
        assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {0}, new int[] {0, 1}, ANIMALS))
                .hasMessage("1 true labels but 2 predictions");
        assertThatThrownBy(() -> ClassificationMetrics.of(new int[] {5}, new int[] {0}, ANIMALS))
                .hasMessageContaining("true label index 5 is not one of the 3 labels");
    }
}
