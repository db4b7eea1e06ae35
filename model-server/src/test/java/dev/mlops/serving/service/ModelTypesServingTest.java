package dev.mlops.serving.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.estimator.Estimators;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.serving.ScoringRequests;
import dev.mlops.serving.TestModel;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every model type behind the same scoring path, without a server: gradient boosting and logistic regression answer
 * class labels as the random forest does, a regressor answers numbers ({@code {"predictions": [12.5, ...]}}),
 * each equal to what its bundle predicts in-process.
 */
class ModelTypesServingTest {

    static final CsvTable RAW = TestModel.raw();

    @Test
    void gradientBoostingAndLogisticRegressionAnswerClassLabels() throws Exception {
        Preprocessor preprocessor = Preprocessor.fit(RAW, PipelineSpec.defaults("file:/x").features());
        List<String> classes = Labels.classLabels(RAW.column("Survived"));
        int[] y = Labels.encode(RAW.column("Survived"), classes);
        for (var type : List.of("gradient_boosting", "logistic_regression")) {
            Map<String, Number> params = type.equals("gradient_boosting")
                    ? Map.of("n_estimators", 30, "learning_rate", 0.1, "max_depth", 3, "subsample", 1.0,
                    "min_samples_leaf", 1)
                    : Map.of("C", 1.0, "max_iter", 100);
            ModelBundle bundle = ModelBundle.fromFiles(ModelBundle.of(
                    Estimators.fitClassifier(type, preprocessor.transform(RAW), y, params, 42), preprocessor,
                    "Survived", classes, Map.of()).toFiles());
            ServingModel model = new ServingModel(bundle, ModelInfo.of("file:/m", bundle.metadata(), Optional.empty(),
                    Optional.empty()));

            JsonNode answer = score(model, Map.of("dataframe_records", ScoringRequests.rawRecords(RAW)));

            assertThat(model.compiled()).isFalse();
            assertThat(model.treeCount()).isZero();
            List<Object> predictions = ScoringRequests.JSON.convertValue(answer.get("predictions"), List.class);
            assertThat(predictions).as(type).isEqualTo(ScoringRequests.expected(bundle, RAW)).contains(0, 1);
        }
    }

    @Test
    void aRegressorAnswersNumbers() throws Exception {
        // Age from the other columns: a numeric target, as a regression run trains it
        PipelineSpec.Features features = new PipelineSpec.Features(
                List.of("Fare", "Siblings/Spouses Aboard", "Parents/Children Aboard"), List.of("Pclass", "Sex"));
        Preprocessor preprocessor = Preprocessor.fit(RAW, features);
        double[] ages = RAW.column("Age").stream().mapToDouble(Double::parseDouble).toArray();
        ModelBundle bundle = ModelBundle.fromFiles(ModelBundle.of(Estimators.fitRegressor("gradient_boosting",
                        preprocessor.transform(RAW), ages, Map.of("n_estimators", 30, "learning_rate", 0.1,
                                "max_depth", 3, "subsample", 1.0, "min_samples_leaf", 1), 42),
                preprocessor, "Age", List.of(), Map.of()).toFiles());
        ServingModel model = new ServingModel(bundle, ModelInfo.of("file:/m", bundle.metadata(), Optional.empty(),
                Optional.empty()));

        List<Map<String, Object>> records = ScoringRequests.rawRecords(RAW).subList(0, 20);
        JsonNode answer = score(model, Map.of("dataframe_records", records));

        double[] expected = bundle.predictValues(preprocessor.transform(new CsvTable(RAW.header(),
                RAW.rows().subList(0, 20))));
        assertThat(answer.get("predictions")).hasSize(20);
        for (int i = 0; i < 20; i++) {
            assertThat(answer.get("predictions").get(i).isNumber()).isTrue();
            assertThat(answer.get("predictions").get(i).asDouble()).isEqualTo(expected[i]);
        }
        assertThat(model.task()).isEqualTo("regression");
        assertThat(model.classLabels()).isEmpty();
    }

    private static JsonNode score(ServingModel model, Object body) throws Exception {
        ServingModel.Scored scored = model.score("application/json",
                ScoringRequests.json(body).getBytes(StandardCharsets.UTF_8));
        return ScoringRequests.JSON.readTree(new String(scored.body(), StandardCharsets.UTF_8));
    }
}
