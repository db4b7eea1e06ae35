package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole chain down to a live endpoint: image, local deployment, inference test, and a second run replacing it. */
@ExtendWith(LocalPlatform.class)
class DeployedModelIT {

    static final String DEPLOYED_SMALL_GRID = """
            {"model": {"grid": {"n_estimators": [100], "max_depth": [10], "min_samples_split": [5],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void aRunEndsWithALiveEndpointServingItsModelAndTheNextRunReplacesIt() throws Exception {
        JsonNode first = platform.runToSuccess(DEPLOYED_SMALL_GRID);
        List<String> stages = new ArrayList<>();
        first.path("stages").forEach(stage -> {
            stages.add(stage.path("stage").asText());
            assertThat(stage.path("status").asText()).as(stage.toString()).isEqualTo("COMPLETED");
        });
        assertThat(stages).containsExactly("ingest", "preprocess", "train", "evaluate", "image", "deploy");
        assertThat(first.path("params").path("image_ref").asText()).isNotBlank();
        assertThat(first.path("params").path("image_digest").asText()).startsWith("sha256:");
        assertThat(first.path("metrics").path("accuracy").asDouble()).isGreaterThanOrEqualTo(0.75);
        assertThat(first.path("metrics").path("inference_accuracy").asDouble())
                .isEqualTo(first.path("metrics").path("accuracy").asDouble());

        // the live endpoint answers the run's test split exactly as the evaluated bundle does in-process
        String servingUrl = first.path("servingUrl").asText();
        assertThat(servingUrl).endsWith("/invocations");
        serving.assertServesTheRunsModel(platform, first, servingUrl);

        // a raw passenger record works too, as the published inference test's users send them
        JsonNode raw = serving.post(servingUrl, "{\"dataframe_records\": [{\"Pclass\": 1, \"Sex\": \"female\", \"Age\": 29,"
                + " \"Siblings/Spouses Aboard\": 0, \"Parents/Children Aboard\": 0, \"Fare\": 211.34}]}");
        assertThat(raw.path("predictions").get(0).asText()).isIn("0", "1");
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(first.path("runId").asText());

        // a second run replaces the served model behind the same URL
        JsonNode second = platform.runToSuccess(DEPLOYED_SMALL_GRID);
        assertThat(second.path("servingUrl").asText()).isEqualTo(servingUrl);
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(second.path("runId").asText());

        String modelName = second.path("spec").path("model").path("name").asText();
        JsonNode production = platform.tracking().get("/models/" + modelName + "/aliases/production");
        assertThat(production.path("runId").asText()).isEqualTo(second.path("runId").asText());
    }
}
