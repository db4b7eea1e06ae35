package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.json.Json;
import dev.mlops.model.bundle.ModelBundle;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A client of the served model, as users call it: scoring requests, {@code /version}, the run's test split. */
final class ServingClient {

    /** One raw passenger record, as the published inference test's users send them. */
    static final String PASSENGER = "{\"dataframe_records\": [{\"Pclass\": 3, \"Sex\": \"male\", \"Age\": 22,"
            + " \"Siblings/Spouses Aboard\": 1, \"Parents/Children Aboard\": 0, \"Fare\": 7.25}]}";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    HttpResponse<String> send(String url, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs and requires 200. */
    JsonNode post(String url, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = send(url, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.tree(response.body());
    }

    /** What {@code /version} next to the scoring URL answers: the served model's name, version and run. */
    JsonNode version(String servingUrl) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create(servingUrl.replace("/invocations", "/version"))).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return Json.tree(response.body());
    }

    /** The endpoint predicts the run's whole test split exactly as the run's bundle does in-process. */
    void assertServesTheRunsModel(LocalPlatform.Platform platform, JsonNode run, String servingUrl)
            throws IOException, InterruptedException {
        Map<String, String> artifacts = platform.artifacts(run);
        CsvTable xTest = platform.csv(artifacts, "preprocess/X_test.csv");
        ModelBundle bundle = platform.bundle(artifacts);
        double[][] features = LocalPlatform.features(xTest);
        List<String> expected = new ArrayList<>();
        for (int index : bundle.predict(features)) {
            expected.add(bundle.classLabels().get(index));
        }
        JsonNode served = post(servingUrl, Json.write(Map.of("dataframe_split",
                Map.of("columns", xTest.header(), "data", features)))).path("predictions");
        List<String> servedLabels = new ArrayList<>();
        served.forEach(p -> servedLabels.add(p.asText()));
        assertThat(servedLabels).hasSize(xTest.rows().size()).isEqualTo(expected);
    }
}
