package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rolling back: after a second model replaced the first behind the serving URL, {@code ./mlops promote MODEL VERSION}
 * deploys the first one's version again through the deploy stage; the serving URL then answers with that model and
 * {@code production} points at it, and the newer version stays registered.
 */
@ExtendWith(LocalPlatform.class)
class PromoteIT {

    static final String DEPLOYED = """
            {"model": {"cv": 3, "grid": {"n_estimators": [%d], "max_depth": [5], "min_samples_split": [2],
                                         "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void aPromotedOlderVersionServesAgainThroughTheDeployStage() throws Exception {
        JsonNode first = platform.runToSuccess(DEPLOYED.formatted(20));
        JsonNode second = platform.runToSuccess(DEPLOYED.formatted(30));
        String model = first.path("params").path("model_name").asText();
        String firstVersion = first.path("params").path("model_version").asText();
        String secondVersion = second.path("params").path("model_version").asText();
        String servingUrl = second.path("servingUrl").asText();
        assertThat(serving.version(servingUrl).path("version").asText()).isEqualTo(secondVersion);

        assertThat(platform.mlops().execute("promote", model, firstVersion)).as("./mlops promote").isZero();

        assertThat(serving.version(servingUrl).path("version").asText()).isEqualTo(firstVersion);
        JsonNode rolledBack = platform.tracking().run(first.path("runId").asText());
        serving.assertServesTheRunsModel(platform, rolledBack, servingUrl);
        assertThat(platform.tracking().get("/models/" + model + "/aliases/production").path("version").asText())
                .isEqualTo(firstVersion);
        assertThat(platform.tracking().get("/models/" + model).path("servingVersion").asText()).isEqualTo(firstVersion);
        assertThat(platform.tracking().get("/models/" + model + "/versions/" + secondVersion).path("status").asText())
                .as("the newer version stays registered").isEqualTo("READY");
    }
}
