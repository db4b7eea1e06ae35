package dev.mlops.common.spec;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PipelineSpecsTest {

    static final String DATASET = "file:/data/titanic.csv";

    @Test
    void anEmptySpecIsThePublishedWorkflow() {
        PipelineSpec spec = PipelineSpecs.parse("{}", DATASET);
        assertThat(spec.dataset().uri()).isEqualTo(DATASET);
        assertThat(spec.target()).isEqualTo("Survived");
        assertThat(spec.features().numeric()).containsExactly("Age", "Fare", "Siblings/Spouses Aboard",
                "Parents/Children Aboard");
        assertThat(spec.features().categorical()).containsExactly("Pclass", "Sex");
        assertThat(spec.split()).isEqualTo(new PipelineSpec.Split(0.2, 42L, "train", false));
        assertThat(spec.model().grid().maxDepth()).isEqualTo(Arrays.asList(null, 10, 20, 30));
        assertThat(spec.model().grid().candidates()).isEqualTo(108);
        assertThat(spec.model().cv()).isEqualTo(3);
        assertThat(spec.gate().minAccuracy()).isEqualTo(0.75);
        assertThat(spec.stages()).hasSize(6);
    }

    @Test
    void aPartlyGivenSectionKeepsTheDefaultsOfItsOtherFields() {
        PipelineSpec spec = PipelineSpecs.parse(
                "{\"split\": {\"seed\": 7}, \"model\": {\"grid\": {\"n_estimators\": [10]}}, \"deploy\": {\"target\": \"none\"}}",
                DATASET);
        assertThat(spec.split().seed()).isEqualTo(7L);
        assertThat(spec.split().testSize()).isEqualTo(0.2);
        assertThat(spec.model().grid().nEstimators()).containsExactly(10);
        assertThat(spec.model().grid().minSamplesLeaf()).containsExactly(1, 2, 4);
        assertThat(spec.stages()).extracting(Enum::name).containsExactly("INGEST", "PREPROCESS", "TRAIN", "EVALUATE");
    }

    @Test
    void eachBrokenRuleNamesItsField() {
        assertField("{\"colour\": \"red\"}", "colour", "unknown field 'colour'");
        assertField("{\"split\": {\"testSize\": \"a fifth\"}}", "split.testSize", "expected a number");
        assertField("{\"split\": {\"testSize\": \"0.2\"}}", "split.testSize", "expected a number");
        assertField("{\"split\": {\"testSize\": 1.5}}", "split.testSize", "between 0 and 1");
        assertField("{\"split\": {\"testSize\": 0}}", "split.testSize", "between 0 and 1");
        assertField("{\"split\": {\"seed\": -1}}", "split.seed", "between 0 and 4294967295");
        assertField("{\"split\": {\"fitOn\": \"test\"}}", "split.fitOn", "'train' or 'all'");
        assertField("{\"features\": {\"numeric\": [], \"categorical\": []}}", "features", "both empty");
        assertField("{\"features\": {\"numeric\": [\"Survived\"]}}", "features", "target column 'Survived'");
        assertField("{\"features\": {\"numeric\": [\"Age\", \"Age\"]}}", "features", "twice");
        assertField("{\"model\": {\"grid\": {\"n_estimators\": [0]}}}", "model.grid.n_estimators", "got 0");
        assertField("{\"model\": {\"grid\": {\"min_samples_split\": [1]}}}", "model.grid.min_samples_split", "got 1");
        assertField("{\"model\": {\"grid\": {\"n_estimators\": [null]}}}", "model.grid.n_estimators", "null");
        assertField("{\"model\": {\"grid\": {\"n_estimators\": []}}}", "model.grid.n_estimators", "at least one");
        assertField("{\"model\": {\"cv\": 1}}", "model.cv", "2 to 20");
        assertField("{\"model\": {\"type\": \"svm\"}}", "model.type",
                "'random_forest', 'gradient_boosting', 'logistic_regression', got 'svm'");
        assertField("{\"gate\": {\"minAccuracy\": 2}}", "gate.minAccuracy", "between 0 and 1");
        assertField("{\"gate\": {\"mustBeatProduction\": true, \"minImprovement\": -0.1}}", "gate.minImprovement",
                "between 0 and 1");
        assertField("{\"gate\": {\"mustBeatProduction\": true, \"minImprovement\": 2}}", "gate.minImprovement",
                "got 2.0");
        assertField("{\"deploy\": {\"target\": \"cloud\"}}", "deploy.target", "[local, container, kubernetes, none]");
        assertField("{\"dataset\": {\"uri\": \"ftp://host/a.csv\"}}", "dataset.uri", "http(s)://, file: or s3://");
        assertField("{\"name\": \"../etc\"}", "name", "letters, digits");
        assertField("{\"split\": ", "", "malformed JSON");
        assertField("[1, 2]", "", "expected a JSON object");
        assertField("", "", "empty");
    }

    @Test
    void theMaxDepthGridMayHoldOneNullForUnlimited() {
        PipelineSpec spec = PipelineSpecs.parse("{\"model\": {\"grid\": {\"max_depth\": [null, 5]}}}", DATASET);
        assertThat(spec.model().grid().maxDepth()).isEqualTo(Arrays.asList(null, 5));
        assertField("{\"model\": {\"grid\": {\"max_depth\": [null, null]}}}", "model.grid.max_depth", "twice");
    }

    private static void assertField(String json, String field, String message) {
        assertThatThrownBy(() -> PipelineSpecs.parse(json, DATASET))
                .as("spec %s", json)
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).contains(message);
                });
    }

    @Test
    void controlCharactersAreRefusedInEveryStringNamingTheField() {
        // a NUL stalled tracking (PostgreSQL cannot store it); newlines forge log lines
        assertField("{\"features\": {\"numeric\": [\"Age\\u0000\"]}}", "features.numeric[0]", "U+0000");
        assertField("{\"target\": \"Survived\\n2026-12-03 INFO forged\"}", "target", "U+000A");
        assertField("{\"dataset\": {\"uri\": \"file:/data/a\\u001b[31m.csv\"}}", "dataset.uri", "U+001B");
        assertField("{\"name\": \"x\", \"colour\\u0000\": 1}", "colour\\u0000", "control character");
    }

    @Test
    void credentialsInTheDatasetUrlAreRefusedAndNeverEchoed() {
        // input: a dataset URL with user:password@, valid and (with a space) not even a URI
        assertThatThrownBy(() -> PipelineSpecs.parse("{\"dataset\": {\"uri\": \"https://me:s3cret@data.example/t.csv\"}}",
                DATASET)).hasMessageContaining("credentials in dataset URLs are not supported: https://***@data.example/t.csv")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> PipelineSpecs.parse("{\"dataset\": {\"uri\": \"http://me:s3cret@h/a b.csv\"}}", DATASET))
                .hasMessageContaining("not a valid URI: http://***@h/a b.csv").hasMessageNotContaining("s3cret");
        assertThat(dev.mlops.common.text.UrlCredentials.hidden("s3://bucket/runs/x@y")).isEqualTo("s3://bucket/runs/x@y");
    }

    @Test
    void overLongNamesAndDuplicateKeysAreRefused() {
        assertField("{\"target\": \"" + "S".repeat(1_000_000) + "\"}", "target", "at most 256 characters");
        assertField("{\"name\": \"a\", \"name\": \"b\"}", "", "Duplicate field 'name'");
        assertField("{\"split\": {\"seed\": 1, \"seed\": 2}}", "", "Duplicate field 'seed'");
    }

    @Test
    void gridsOverTheWorkLimitsAreRefusedNamingTheSetting() {
        // 46340 x 46340 candidates overflowed an int and ended in an OutOfMemoryError in train-svc
        assertField("{\"model\": {\"grid\": {\"n_estimators\": [1], \"min_samples_split\": " + range(2, 46_341)
                + ", \"min_samples_leaf\": " + range(1, 46_340) + "}}}", "model.grid", "mlops.limits.max-candidate-fits");
        assertField("{\"model\": {\"grid\": {\"n_estimators\": [10001]}}}", "model.grid.n_estimators",
                "between 1 and 5000 (mlops.limits.max-trees-per-forest), got 10001");
        assertField("{\"model\": {\"grid\": {\"max_depth\": [5000]}}}", "model.grid.max_depth",
                "mlops.limits.max-tree-depth");
        // 20 candidates x 3 folds = 60 fits, but 5000 trees each: 300,000 trees
        WorkLimits tight = new WorkLimits(1_000, 5_000, 100, 100_000, 1_000, 1_000);
        assertThatThrownBy(() -> PipelineSpecs.parse("{\"model\": {\"grid\": {\"n_estimators\": [5000],"
                + " \"max_depth\": [1,2,3,4,5], \"min_samples_split\": [2,3], \"min_samples_leaf\": [1,2]}}}",
                DATASET, tight))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("model.grid"))
                .hasMessageContaining("300000 trees").hasMessageContaining("mlops.limits.max-total-trees");
        assertThat(PipelineSpecs.parse("{}", DATASET, tight).model().grid().candidates())
                .as("the published grid (324 fits, 64,800 trees) passes tight limits").isEqualTo(108);
    }

    private static String range(int from, int to) {
        return java.util.stream.IntStream.rangeClosed(from, to).mapToObj(Integer::toString)
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }

    @Test
    void candidateCountsSaturateInsteadOfOverflowing() {
        List<Integer> big = java.util.Collections.nCopies(1 << 20, 1);
        PipelineSpec.Grid grid = new PipelineSpec.Grid(big, big, big, big);
        assertThat(grid.candidates()).isEqualTo(Long.MAX_VALUE);
        assertThat(WorkLimits.saturatedProduct(1L << 40, 1L << 40)).isEqualTo(Long.MAX_VALUE);
        assertThat(WorkLimits.saturatedProduct(46_340, 46_340)).isEqualTo(2_147_395_600L);
    }

    @Test
    void featuresListsAllColumnsNumericFirst() {
        assertThat(new PipelineSpec.Features(List.of("a"), List.of("b", "c")).all()).containsExactly("a", "b", "c");
    }

    @Test
    void eachModelTypeWithoutAGridTakesScikitLearnsDefaults() {
        PipelineSpec boosting = PipelineSpecs.parse("{\"model\": {\"type\": \"gradient_boosting\"}}", DATASET);
        assertThat(boosting.model().grid().values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "n_estimators", List.of(100), "learning_rate", List.of(0.1), "max_depth", List.of(3),
                "subsample", List.of(1.0), "min_samples_leaf", List.of(1)));
        PipelineSpec logistic = PipelineSpecs.parse(
                "{\"model\": {\"type\": \"logistic_regression\", \"grid\": {\"C\": [0.1, 1, 10]}}}", DATASET);
        assertThat(logistic.model().grid().values()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "C", List.of(0.1, 1, 10), "max_iter", List.of(100)));
        assertThat(logistic.model().grid().candidates()).isEqualTo(3);
        assertThat(logistic.model().grid().treesPerFit()).isZero();
    }

    @Test
    void shareTreesDefaultsToTrueForARandomForestAndIsRefusedForAnotherType() {
        assertThat(PipelineSpecs.parse("{}", DATASET).model().shareTrees()).isTrue();
        assertThat(PipelineSpecs.parse("{\"model\": {\"shareTrees\": false}}", DATASET).model().shareTrees())
                .isFalse();
        assertThat(PipelineSpecs.parse("{\"model\": {\"type\": \"gradient_boosting\"}}", DATASET).model()
                .shareTrees()).as("nothing to share in boosting").isNull();
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"shareTrees\": false}}", "model.shareTrees",
                "model.shareTrees is for model.type 'random_forest' only");
        assertField("{\"model\": {\"type\": \"logistic_regression\", \"shareTrees\": true}}", "model.shareTrees",
                "model.type 'logistic_regression' fits every candidate afresh");
    }

    @Test
    void aGridSurvivesTheEventJsonUnchanged() {
        PipelineSpec spec = PipelineSpecs.parse("{\"model\": {\"type\": \"gradient_boosting\","
                + " \"grid\": {\"learning_rate\": [0.05, 0.1], \"max_depth\": [null, 3]}}}", DATASET);
        String json = dev.mlops.common.json.Json.write(spec);
        assertThat(json).contains("\"grid\":{\"learning_rate\":[0.05,0.1],\"max_depth\":[null,3]");
        assertThat(dev.mlops.common.json.Json.read(json, PipelineSpec.class)).isEqualTo(spec);
    }

    @Test
    void aParameterThatDoesNotBelongToTheModelTypeIsRefusedListingThoseItTakes() {
        // input: learning_rate for a random forest, n_estimators for logistic regression, a made-up name
        assertField("{\"model\": {\"grid\": {\"learning_rate\": [0.1]}}}", "model.grid.learning_rate",
                "not a parameter of model.type 'random_forest', which takes 'max_depth', 'min_samples_leaf',"
                        + " 'min_samples_split', 'n_estimators'");
        assertField("{\"model\": {\"type\": \"logistic_regression\", \"grid\": {\"n_estimators\": [10]}}}",
                "model.grid.n_estimators", "which takes 'C', 'max_iter'");
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"grid\": {\"colour\": [1]}}}",
                "model.grid.colour", "'learning_rate'");
    }

    @Test
    void valuesOutOfEachParametersRangeNameTheParameter() {
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"grid\": {\"learning_rate\": [0]}}}",
                "model.grid.learning_rate", "greater than 0 and at most 1, got 0");
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"grid\": {\"subsample\": [1.5]}}}",
                "model.grid.subsample", "got 1.5");
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"grid\": {\"n_estimators\": [2.5]}}}",
                "model.grid.n_estimators", "whole numbers, got 2.5");
        assertField("{\"model\": {\"type\": \"logistic_regression\", \"grid\": {\"C\": [-1]}}}",
                "model.grid.C", "greater than 0");
        assertField("{\"model\": {\"type\": \"logistic_regression\", \"grid\": {\"max_iter\": [0]}}}",
                "model.grid.max_iter", "between 1 and 100000, got 0");
        assertField("{\"model\": {\"type\": \"logistic_regression\", \"grid\": {\"C\": [null]}}}",
                "model.grid.C", "null");
        // boosting grows trees: the trees-per-forest and total-trees limits hold for it too
        assertField("{\"model\": {\"type\": \"gradient_boosting\", \"grid\": {\"n_estimators\": [10001]}}}",
                "model.grid.n_estimators", "mlops.limits.max-trees-per-forest");
        WorkLimits tight = new WorkLimits(1_000, 5_000, 100, 100_000, 1_000, 1_000);
        assertThatThrownBy(() -> PipelineSpecs.parse("{\"model\": {\"type\": \"gradient_boosting\", \"grid\":"
                + " {\"n_estimators\": [5000], \"learning_rate\": [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7]}}}", DATASET, tight))
                .isInstanceOfSatisfying(InvalidSpecException.class, e -> assertThat(e.field()).isEqualTo("model.grid"))
                .hasMessageContaining("105000 trees");
    }

    @Test
    void theTaskIsCheckedAgainstTheModelTypeAndTheGate() {
        assertField("{\"task\": \"clustering\"}", "task", "'classification' or 'regression'");
        // input: logistic regression asked to regress
        assertField("{\"task\": \"regression\", \"model\": {\"type\": \"logistic_regression\"}}", "model.type",
                "classifier only: task 'regression' takes 'random_forest', 'gradient_boosting'");
        // input: a regression gate on a run that says it classifies
        assertField("{\"task\": \"classification\", \"gate\": {\"minR2\": 0.5}}", "gate.minR2",
                "task is 'classification'");
        assertField("{\"task\": \"classification\", \"gate\": {\"maxRmse\": 3}}", "gate.maxRmse",
                "task is 'classification'");
        assertField("{\"task\": \"regression\", \"gate\": {\"maxRmse\": -1}}", "gate.maxRmse", "at least 0");
        assertField("{\"gate\": {\"minR2\": 1.5}}", "gate.minR2", "at most 1");
        PipelineSpec regression = PipelineSpecs.parse("{\"task\": \"regression\", \"model\": {\"type\":"
                + " \"gradient_boosting\"}, \"gate\": {\"minR2\": 0.6, \"maxRmse\": 10}}", DATASET);
        assertThat(regression.regression()).isTrue();
        assertThat(regression.gate().minR2()).isEqualTo(0.6);
        assertThat(PipelineSpecs.parse("{\"gate\": {\"minR2\": 0.6}}", DATASET).task())
                .as("a regression gate with the task left to infer is evaluate's to apply").isNull();
    }
}
