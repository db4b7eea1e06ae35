package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard against a real Prometheus: {@code ./mlops observe} starts Debian's Prometheus scraping every
 * service, pipelines run (two deployed, two failing at ingest: a rate needs two points), the served model answers
 * requests, then every PromQL expression of every panel of every dashboard in infra/grafana/dashboards is evaluated
 * through Prometheus's HTTP API and must return a series with a number. A panel that would stay empty fails the build.
 */
@ExtendWith(LocalPlatform.class)
class DashboardIT {

    private static final Path DASHBOARDS = LocalPlatform.HOME.resolve("infra/grafana/dashboards");
    /** Grafana's range variables, set to cover the whole test. */
    private static final String RANGE = "10m";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void everyDashboardPanelShowsDataFromARealPrometheus() throws Exception {
        assertThat(platform.mlops().execute("observe", "--scrape-interval", "1s")).as("./mlops observe").isZero();
        String prometheus = "http://127.0.0.1:" + platform.env().get("MLOPS_PROMETHEUS_PORT");

        for (int i = 0; i < 2; i++) {
            String runId = platform.tracking().startPipeline(DeployedModelIT.DEPLOYED_SMALL_GRID);
            JsonNode run = platform.awaitEnd(runId, Duration.ofMinutes(5));
            assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
            String failing = platform.tracking().startPipeline("{\"dataset\": {\"uri\": \"file:/nonexistent/dashboard.csv\"}}");
            assertThat(platform.awaitEnd(failing, Duration.ofMinutes(2)).path("status").asText()).isEqualTo("FAILED");
            score(run.path("servingUrl").asText());
            Thread.sleep(3_000); // a few scrapes apart, so that every counter has two points
        }

        List<String> expressions = dashboardExpressions();
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        for (String expression : expressions) {
            String query = expression.replace("$__rate_interval", RANGE).replace("$__range", RANGE)
                    .replace("$__interval", "15s");
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                    assertThat(finiteValues(prometheus, query)).as("panel query %s", query).isNotEmpty());
        }
    }

    private void score(String servingUrl) throws Exception {
        String body = "{\"dataframe_records\": [{\"Pclass\": 3, \"Sex\": \"male\", \"Age\": 22,"
                + " \"Siblings/Spouses Aboard\": 1, \"Parents/Children Aboard\": 0, \"Fare\": 7.25}]}";
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(servingUrl))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        }
    }

    private static List<String> dashboardExpressions() throws Exception {
        List<String> expressions = new ArrayList<>();
        try (var files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Json.tree(Files.readString(file)).path("panels").forEach(panel -> panel.path("targets")
                        .forEach(target -> expressions.add(target.path("expr").asText())));
            }
        }
        return expressions;
    }

    /** The finite values of an instant query; fails on a query Prometheus rejects. */
    private List<Double> finiteValues(String prometheus, String query) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(prometheus + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode answer = Json.tree(response.body());
        assertThat(answer.path("status").asText()).as("%s answered %s", query, response.body()).isEqualTo("success");
        List<Double> values = new ArrayList<>();
        answer.path("data").path("result").forEach(series -> {
            double value = Double.parseDouble(series.path("value").get(1).asText());
            if (Double.isFinite(value)) {
                values.add(value);
            }
        });
        return values;
    }
}
