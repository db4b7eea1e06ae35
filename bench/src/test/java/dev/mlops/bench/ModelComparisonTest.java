package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.PipelineSpecs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelComparisonTest {

    static final ModelComparison BOOSTING = ModelComparison.ALL.stream()
            .filter(c -> c.type().equals("gradient_boosting") && c.task().equals("classification")).findFirst().orElseThrow();
    static final ModelComparison FOREST_REGRESSOR = ModelComparison.ALL.stream()
            .filter(c -> c.type().equals("random_forest") && c.task().equals("regression")).findFirst().orElseThrow();

    /** What sklearn_models.py fit prints, cut to the fields the section reads. */
    static JsonNode sklearn(String metrics) {
        return Json.tree("{\"sklearn_version\": \"1.2.1\", \"test_size\": 114, \"grid_search_seconds\": 8.0, " + metrics + "}");
    }

    @Test
    void theSectionComparesThreeClassifiersOnBreastCancerAndTwoRegressorsOnDiabetes() {
        assertThat(ModelComparison.ALL).extracting(ModelComparison::label).containsExactly(
                "random_forest, breast cancer", "gradient_boosting, breast cancer", "logistic_regression, breast cancer",
                "random_forest, diabetes", "gradient_boosting, diabetes");
        assertThat(ModelComparison.ALL).allSatisfy(c -> assertThat(c.candidates()).isBetween(2, 4));
    }

    @Test
    void ourSpecRunsTheCsvWithTheSameGridAsScikitLearnAndDeploysNothing() {
        JsonNode spec = Json.tree(BOOSTING.spec("s3://mlops-artifacts/datasets/abc/breast_cancer.csv",
                List.of("mean radius", "worst area")));
        assertThat(spec.path("dataset").path("uri").asText()).isEqualTo("s3://mlops-artifacts/datasets/abc/breast_cancer.csv");
        assertThat(spec.path("target").asText()).isEqualTo("target");
        assertThat(spec.path("task").asText()).isEqualTo("classification");
        assertThat(spec.path("features").path("numeric")).extracting(JsonNode::asText).containsExactly("mean radius", "worst area");
        assertThat(spec.path("features").path("categorical")).isEmpty();
        assertThat(spec.path("model").path("type").asText()).isEqualTo("gradient_boosting");
        assertThat(spec.path("model").path("cv").asInt()).isEqualTo(3);
        assertThat(spec.path("model").path("grid")).isEqualTo(BOOSTING.grid());
        assertThat(spec.path("model").path("grid").path("learning_rate")).extracting(JsonNode::asDouble).containsExactly(0.1, 0.05);
        assertThat(spec.path("deploy").path("target").asText()).isEqualTo("none");
        assertThat(Json.tree(FOREST_REGRESSOR.spec("s3://b/d.csv", List.of("bmi"))).path("model").path("grid")
                .path("max_depth").get(0).isNull()).as("max_depth None is JSON null on both sides").isTrue();
    }

    @Test
    void everySpecIsOneThePlatformAcceptsWithExactlyTheGridScikitLearnGets() {
        for (ModelComparison comparison : ModelComparison.ALL) {
            PipelineSpec spec = PipelineSpecs.parse(comparison.spec("s3://mlops-artifacts/datasets/d.csv",
                    List.of("age", "bmi")), "file:/unused.csv");
            assertThat(spec.task()).isEqualTo(comparison.task());
            assertThat(spec.model().type()).isEqualTo(comparison.type());
            assertThat((JsonNode) Json.mapper().valueToTree(spec.model().grid().values()))
                    .as("no parameter left to the platform's defaults").isEqualTo(comparison.grid());
        }
    }

    @Test
    void accuracyPassesWithin003OfScikitLearnsEitherWayAndTheTimeRatioCountsTheRefit() {
        JsonNode ours = Json.tree("{\"accuracy\": 0.9474, \"grid_search_seconds\": 3.0, \"refit_seconds\": 1.0}");
        List<Figure> figures = BOOSTING.figures(ours, sklearn("\"accuracy\": 0.9649"));
        assertThat(figures).hasSize(2);
        Figure accuracy = figures.get(0);
        assertThat(accuracy.name()).isEqualTo("gradient_boosting, breast cancer: test accuracy");
        assertThat(accuracy.value()).isEqualTo(0.9474);
        assertThat(accuracy.reference()).isEqualTo(0.9649);
        assertThat(accuracy.met()).isTrue();
        Figure time = figures.get(1);
        assertThat(time.name()).isEqualTo("gradient_boosting, breast cancer: grid search + refit (4 x 3 folds)");
        assertThat(time.value()).isEqualTo(4.0);
        assertThat(time.ratio()).as("scikit-learn's 8 s over our 3 + 1 s").isEqualTo(2.0);
        assertThat(time.met()).isNull();

        assertThat(BOOSTING.figures(ours, sklearn("\"accuracy\": 0.9825")).get(0).met())
                .as("0.035 below scikit-learn's").isFalse();
        assertThat(BOOSTING.figures(Json.tree("{\"accuracy\": 0.99, \"grid_search_seconds\": 3.0}"),
                sklearn("\"accuracy\": 0.95")).get(0).met()).as("0.04 above: not the same model either").isFalse();
    }

    @Test
    void regressionComparesR2Within005AndRmse() {
        JsonNode ours = Json.tree("{\"r2\": 0.40, \"rmse\": 57.0, \"mae\": 46.0, \"grid_search_seconds\": 2.0}");
        List<Figure> figures = FOREST_REGRESSOR.figures(ours, sklearn("\"r2\": 0.437, \"rmse\": 54.6, \"mae\": 44.4"));
        assertThat(figures).extracting(Figure::name).containsExactly("random_forest, diabetes: test R²",
                "random_forest, diabetes: test RMSE", "random_forest, diabetes: grid search + refit (4 x 3 folds)");
        assertThat(figures.get(0).met()).isTrue();
        assertThat(figures.get(1).ratio()).as("smaller is better: theirs / ours").isEqualTo(54.6 / 57.0);
        assertThat(figures.get(1).met()).isNull();
        assertThat(figures.get(2).value()).as("no refit_seconds: the grid search alone").isEqualTo(2.0);
        assertThat(FOREST_REGRESSOR.figures(ours, sklearn("\"r2\": 0.46, \"rmse\": 53.0")).get(0).met()).isFalse();
    }

    @Test
    void aRunWithoutTheComparedMetricSaysWhichIsMissing() {
        assertThatThrownBy(() -> FOREST_REGRESSOR.figures(Json.tree("{\"accuracy\": 0.9, \"grid_search_seconds\": 2.0}"),
                sklearn("\"r2\": 0.437, \"rmse\": 54.6")))
                .hasMessageContaining("no metric 'r2'");
    }
}
