package dev.mlops.serving.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.Labels;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.serving.TestModel;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The flat-array forest predicts exactly what model-core predicts, for limited and unlimited depth. */
class CompiledForestTest {

    @Test
    void predictsAsModelCoreOnEveryRow() {
        CsvTable raw = TestModel.raw();
        Preprocessor preprocessor = Preprocessor.fit(raw, PipelineSpec.defaults("file:/unused").features());
        double[][] x = preprocessor.transform(raw);
        int[] y = Labels.encode(raw.column("Survived"), Labels.classLabels(raw.column("Survived")));

        for (ForestParams params : new ForestParams[] {new ForestParams(40, 10, 5, 1), new ForestParams(20, null, 2, 1),
                new ForestParams(15, 4, 10, 4)}) {
            RandomForestClassifier model = RandomForestClassifier.fit(x, y, params, 7);

            CompiledForest compiled = CompiledForest.compile(model);

            assertThat(compiled).as("compiled %s", params).isNotNull();
            assertThat(compiled.predict(x)).as("predictions of %s", params).containsExactly(model.predict(x));
        }
    }
}
