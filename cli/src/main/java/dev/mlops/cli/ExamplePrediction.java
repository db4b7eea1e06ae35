package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** After a deployed run: one raw passenger record sent to the live endpoint, to show it answers. */
final class ExamplePrediction {

    static final String RECORD = "{\"Pclass\": 3, \"Sex\": \"male\", \"Age\": 22, \"Siblings/Spouses Aboard\": 1,"
            + " \"Parents/Children Aboard\": 0, \"Fare\": 7.25}";

    private ExamplePrediction() {
    }

    /** The line to print, or nothing when the run has no serving URL; a failed request says why. */
    static Optional<String> forServingUrl(String servingUrl) {
        if (servingUrl == null || servingUrl.isBlank()) {
            return Optional.empty();
        }
        String body = "{\"dataframe_records\": [" + RECORD + "]}";
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create(servingUrl)).timeout(Duration.ofSeconds(10))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return Optional.of("example prediction: " + servingUrl + " answered " + response.statusCode()
                        + ": " + response.body());
            }
            JsonNode predictions = Json.tree(response.body()).path("predictions");
            return Optional.of("example: curl -s " + servingUrl + " -H 'Content-Type: application/json' -d '"
                    + body + "'\n  -> " + predictions);
        } catch (Exception e) {
            return Optional.of("example prediction: " + servingUrl + " did not answer: " + e);
        }
    }
}
