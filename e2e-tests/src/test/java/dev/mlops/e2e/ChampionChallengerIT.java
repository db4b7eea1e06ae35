package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Champion/challenger ({@code gate.mustBeatProduction}): a run whose model does not beat the one behind
 * {@code production} on its test split ends SUCCEEDED after evaluate saying it kept production, builds no image and
 * leaves the serving URL to the production model; a run whose model beats it is released and deployed.
 */
@ExtendWith(LocalPlatform.class)
class ChampionChallengerIT {

    static final String MODEL = "champion-rf";
    static final String SPEC = """
            {"name": "champion", "model": {"name": "%s", "cv": 3,
               "grid": {"n_estimators": [%d], "max_depth": [%d], "min_samples_split": [2], "min_samples_leaf": [1]}},
             "gate": {"minAccuracy": 0.5, "mustBeatProduction": %b},
             "deploy": {"target": "local"}}""";

    @RegisterExtension
    final UiBrowser browser = new UiBrowser();

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void aWeakerChallengerKeepsProductionServingAndAStrongerOneIsReleased() throws Exception {
        JsonNode first = platform.runToSuccess(SPEC.formatted(MODEL, 10, 3, false));
        String firstVersion = first.path("params").path("model_version").asText();
        String servingUrl = first.path("servingUrl").asText();
        assertThat(production().path("version").asText()).isEqualTo(firstVersion);
        double productionAccuracy = first.path("metrics").path("accuracy").asDouble();

        // a single stump: worse than production on the same test split
        JsonNode weak = platform.runToSuccess(SPEC.formatted(MODEL, 1, 1, true));

        JsonNode release = weak.path("release");
        assertThat(release.path("decision").asText()).isEqualTo("kept");
        assertThat(release.path("productionVersion").asText()).isEqualTo(firstVersion);
        assertThat(release.path("message").asText()).startsWith("kept production version " + firstVersion
                + " (accuracy ").contains(String.format(java.util.Locale.ROOT, "needed > %.4f + 0.0000",
                productionAccuracy));
        assertThat(weak.path("metrics").path("production_accuracy").asDouble()).isEqualTo(productionAccuracy);
        assertThat(weak.path("metrics").path("accuracy").asDouble()).isLessThanOrEqualTo(productionAccuracy);
        assertThat(platform.completedStages(weak)).containsExactly("ingest", "preprocess", "train", "evaluate");
        assertThat(weak.path("stages")).hasSize(4);
        assertThat(weak.path("params").has("image_ref")).as("no image was built").isFalse();
        assertThat(platform.artifacts(weak)).doesNotContainKey("image/image.tar");
        assertThat(weak.path("servingUrl").isNull()).isTrue();
        assertThat(production().path("version").asText()).isEqualTo(firstVersion);
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(first.path("runId").asText());
        serving.assertServesTheRunsModel(platform, first, servingUrl);
        // the run's page in the web UI says so
        browser.signIn();
        browser.open("runs/" + weak.path("runId").asText());
        WebElement shown = browser.visible("[data-testid=run-release]");
        assertThat(shown.getDomAttribute("data-decision")).isEqualTo("kept");
        assertThat(shown.findElement(By.cssSelector("[data-testid=release-message]")).getText())
                .isEqualTo(release.path("message").asText());
        assertThat(shown.getText()).contains("version " + firstVersion + " keeps serving");
        assertThat(browser.visible("[data-testid=run-status]").getText()).isEqualTo("SUCCEEDED");
        assertThat(browser.driver().findElements(By.cssSelector("[data-stage=image]"))).isEmpty();
        assertThat(browser.visible("[data-testid=image-ref]").getText()).contains("production model was kept");

        // a larger forest beats the small first one: released, deployed, production moves to it
        JsonNode strong = platform.runToSuccess(SPEC.formatted(MODEL, 100, 10, true));

        assertThat(strong.path("release").path("decision").asText()).as(strong.path("release").toString())
                .isEqualTo("promoted");
        assertThat(strong.path("release").path("message").asText())
                .startsWith("released: beats production version " + firstVersion);
        assertThat(platform.completedStages(strong)).containsAll(List.of("image", "deploy"));
        String strongVersion = strong.path("params").path("model_version").asText();
        assertThat(production().path("version").asText()).isEqualTo(strongVersion);
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(strong.path("runId").asText());
    }

    private JsonNode production() {
        return platform.tracking().get("/models/" + MODEL + "/aliases/production");
    }
}
