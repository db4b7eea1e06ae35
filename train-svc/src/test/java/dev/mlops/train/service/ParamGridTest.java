package dev.mlops.train.service;

import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.forest.ForestParams;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ParamGridTest {

    @Test
    void publishedGridInScikitLearnsParameterGridOrder() {
        List<ForestParams> candidates = ParamGrid.candidates(PipelineSpec.defaults("file:/data.csv").model().grid());

        // list(ParameterGrid(grid)) in scikit-learn 1.2.1: keys sorted by name, n_estimators varying fastest
        assertThat(candidates).hasSize(108);
        assertThat(candidates.get(0)).isEqualTo(new ForestParams(100, null, 2, 1));
        assertThat(candidates.get(1)).isEqualTo(new ForestParams(200, null, 2, 1));
        assertThat(candidates.get(3)).isEqualTo(new ForestParams(100, null, 5, 1));
        assertThat(candidates.get(9)).isEqualTo(new ForestParams(100, null, 2, 2));
        assertThat(candidates.get(27)).isEqualTo(new ForestParams(100, 10, 2, 1));
        assertThat(candidates.get(107)).isEqualTo(new ForestParams(300, 30, 10, 4));
    }

    @Test
    void singleValuedGridIsOneCandidate() {
        PipelineSpec.Grid grid = new PipelineSpec.Grid(List.of(50), Arrays.asList((Integer) null), List.of(2), List.of(1));

        assertThat(ParamGrid.candidates(grid)).containsExactly(new ForestParams(50, null, 2, 1));
    }

    @Test
    void anyTypesGridIsOrderedAsScikitLearnsParameterGrid() {
        // list(ParameterGrid({"learning_rate": [0.05, 0.1], "n_estimators": [50, 100]})): n_estimators fastest
        PipelineSpec.Grid grid = dev.mlops.common.spec.ModelTypes.withDefaults("gradient_boosting",
                new PipelineSpec.Grid(java.util.Map.of("n_estimators", List.of(50, 100), "learning_rate",
                        List.of(0.05, 0.1))));
        List<dev.mlops.model.estimator.HyperParams> candidates = ParamGrid.candidates("gradient_boosting", grid);
        assertThat(candidates).extracting(c -> c.asSklearnParams().get("learning_rate") + "/"
                + c.asSklearnParams().get("n_estimators")).containsExactly("0.05/50", "0.05/100", "0.1/50", "0.1/100");
    }
}
