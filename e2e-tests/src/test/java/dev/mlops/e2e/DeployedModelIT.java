package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.json.Json;
import dev.mlops.model.bundle.ModelBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The whole chain down to a live endpoint: image, local deployment, inference test, and a second run replacing it. */
@ExtendWith(LocalPlatform.class)
class DeployedModelIT {

    static final String DEPLOYED_SMALL_GRID = """
            {"model": {"grid": {"n_estimators": [100], "max_depth": [10], "min_samples_split": [5],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "local"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aRunEndsWithALiveEndpointServingItsModelAndTheNextRunReplacesIt() throws Exception {
        JsonNode first = runToSuccess();
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
        Map<String, String> artifacts = platform.artifacts(first);
        CsvTable xTest = platform.csv(artifacts, "preprocess/X_test.csv");
        ModelBundle bundle = platform.bundle(artifacts);
        double[][] features = LocalPlatform.features(xTest);
        List<String> expected = new ArrayList<>();
        for (int index : bundle.predict(features)) {
            expected.add(bundle.classLabels().get(index));
        }
        String body = Json.write(Map.of("dataframe_split", Map.of("columns", xTest.header(), "data", features)));
        JsonNode served = post(servingUrl, body).path("predictions");
        List<String> servedLabels = new ArrayList<>();
        served.forEach(p -> servedLabels.add(p.asText()));
        assertThat(servedLabels).hasSize(178).isEqualTo(expected);

        // a raw passenger record works too, as the published inference test's users send them
        JsonNode raw = post(servingUrl, "{\"dataframe_records\": [{\"Pclass\": 1, \"Sex\": \"female\", \"Age\": 29,"
                + " \"Siblings/Spouses Aboard\": 0, \"Parents/Children Aboard\": 0, \"Fare\": 211.34}]}");
        assertThat(raw.path("predictions").get(0).asText()).isIn("0", "1");
        assertThat(version(servingUrl).path("runId").asText()).isEqualTo(first.path("runId").asText());

        // a second run replaces the served model behind the same URL
        JsonNode second = runToSuccess();
        assertThat(second.path("servingUrl").asText()).isEqualTo(servingUrl);
        assertThat(version(servingUrl).path("runId").asText()).isEqualTo(second.path("runId").asText());

        String modelName = second.path("spec").path("model").path("name").asText();
        JsonNode production = platform.tracking().get("/models/" + modelName + "/aliases/production");
        assertThat(production.path("runId").asText()).isEqualTo(second.path("runId").asText());
    }

    private JsonNode runToSuccess() {
        String runId = platform.tracking().startPipeline(DEPLOYED_SMALL_GRID);
        JsonNode run = platform.awaitEnd(runId, Duration.ofMinutes(5));
        assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
        return run;
    }

    private JsonNode version(String servingUrl) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                URI.create(servingUrl.replace("/invocations", "/version"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.tree(response.body());
    }

    private JsonNode post(String url, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }
}
