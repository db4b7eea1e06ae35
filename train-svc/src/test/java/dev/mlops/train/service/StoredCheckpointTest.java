package dev.mlops.train.service;

import dev.mlops.model.forest.ForestParams;
import dev.mlops.train.TitanicData;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The fingerprint that decides whether a kept checkpoint belongs to the search about to run. */
class StoredCheckpointTest {

    static final List<ForestParams> GRID = List.of(new ForestParams(10, null, 2, 1), new ForestParams(20, 5, 2, 1));
    static final Map<String, String> URIS = Map.of("preprocess/X_train.csv", "s3://b/runs/r/preprocess/X_train.csv");

    @Test
    void anySearchInputChangesTheFingerprint() {
        // inputs: the same search but for another grid order, fold count, seed, input URI or one training value
        TrainingSet data = TitanicData.publishedSplit().train();
        String fingerprint = StoredCheckpoint.fingerprint(GRID, 3, 42, URIS, data);

        assertThat(StoredCheckpoint.fingerprint(List.copyOf(GRID), 3, 42, Map.copyOf(URIS), data))
                .isEqualTo(fingerprint);
        assertThat(List.of(
                StoredCheckpoint.fingerprint(List.of(GRID.get(1), GRID.get(0)), 3, 42, URIS, data),
                StoredCheckpoint.fingerprint(GRID, 5, 42, URIS, data),
                StoredCheckpoint.fingerprint(GRID, 3, 43, URIS, data),
                StoredCheckpoint.fingerprint(GRID, 3, 42, Map.of("preprocess/X_train.csv", "s3://b/runs/q/X.csv"),
                        data),
                StoredCheckpoint.fingerprint(GRID, 3, 42, URIS, withOneValueChanged(data))))
                .doesNotContain(fingerprint).doesNotHaveDuplicates();
    }

    private static TrainingSet withOneValueChanged(TrainingSet data) {
        double[][] x = data.x().clone();
        x[7] = x[7].clone();
        x[7][0] = Math.nextUp(x[7][0]);
        return new TrainingSet(x, data.y(), data.classLabels(), data.featureNames());
    }
}
