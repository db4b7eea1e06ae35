package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Other model types and a regression task through the whole platform: a gradient-boosting classifier and a
 * gradient-boosting regressor (task inferred from a numeric target), each trained, evaluated, deployed locally and
 * answering at its serving URL with a label / a number.
 */
@ExtendWith(LocalPlatform.class)
class ModelTypesIT {

    static final String BOOSTED = """
            {"model": {"name": "titanic-gb", "type": "gradient_boosting", "grid": {"n_estimators": [50, 100]}},
             "deploy": {"target": "local"}}""";

    /** Fare from the other columns; task left out: Fare's fractions make it a regression. */
    static final String FARE = """
            {"target": "Fare",
             "features": {"numeric": ["Age", "Siblings/Spouses Aboard", "Parents/Children Aboard"],
                          "categorical": ["Pclass", "Sex"]},
             "model": {"name": "titanic-fare", "type": "gradient_boosting", "grid": {"n_estimators": [50]}},
             "gate": {"minR2": 0.2},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void aGradientBoostingClassifierIsDeployedAndAnswersALabel() throws Exception {
        JsonNode run = platform.runToSuccess(BOOSTED);

        assertThat(run.path("params").path("model_type").asText()).isEqualTo("gradient_boosting");
        assertThat(run.path("params").path("task").asText()).isEqualTo("classification");
        assertThat(run.path("metrics").path("accuracy").asDouble()).isGreaterThan(0.75);
        String servingUrl = run.path("servingUrl").asText();
        JsonNode answer = serving.post(servingUrl, ServingClient.PASSENGER).path("predictions");
        assertThat(answer.get(0).asInt()).isIn(0, 1);
        serving.assertServesTheRunsModel(platform, run, servingUrl);
    }

    @Test
    void aRegressionRunIsDeployedAndAnswersANumber() throws Exception {
        JsonNode run = platform.runToSuccess(FARE);

        assertThat(run.path("params").path("task").asText()).isEqualTo("regression");
        assertThat(run.path("params").path("task_inferred").asText()).isEqualTo("true");
        JsonNode metrics = run.path("metrics");
        assertThat(metrics.path("r2").asDouble()).isGreaterThan(0.2);
        assertThat(metrics.path("rmse").asDouble()).isPositive();
        assertThat(metrics.has("mae")).isTrue();
        assertThat(metrics.has("accuracy")).as("no accuracy for a regression").isFalse();
        assertThat(metrics.has("inference_r2")).isTrue();
        String servingUrl = run.path("servingUrl").asText();
        JsonNode answer = serving.post(servingUrl, ServingClient.PASSENGER).path("predictions");
        assertThat(answer).hasSize(1);
        assertThat(answer.get(0).isNumber()).as("a fare, not a label: %s", answer).isTrue();
        assertThat(answer.get(0).asDouble()).isBetween(0.0, 600.0);
    }
}
