package dev.mlops.cli;

import dev.mlops.stack.launch.Ports;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code ./mlops observe} with the repository's Prometheus configuration: the scrape targets follow the stack's
 * ports; a real Prometheus (Debian's package) loads the configuration, lists every target, and {@code down} stops it.
 */
class ObserverTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private final CliOutput cli = new CliOutput();
    private Path home;
    private Map<String, String> env;

    @BeforeEach
    void homeWithTheRepositoryConfiguration() throws IOException {
        home = Files.createTempDirectory(Path.of("target"), "observe-home-").toAbsolutePath();
        Files.createDirectories(home.resolve("infra/prometheus"));
        Files.copy(REPO.resolve("infra/prometheus/prometheus.yml"), home.resolve("infra/prometheus/prometheus.yml"));
        env = new HashMap<>(System.getenv());
        env.put("MLOPS_STATE_DIR", home.resolve("state").toString());
        env.put("MLOPS_TRACKING_PORT", String.valueOf(Ports.free()));
        env.put("MLOPS_SERVING_PORT", String.valueOf(Ports.free()));
        env.put("MLOPS_PROMETHEUS_PORT", String.valueOf(Ports.free()));
    }

    @Test
    void withoutPrometheusInstalledItSaysHowToGetItAndLeavesTheConfigurationReady() throws IOException {
        env.put("MLOPS_PROMETHEUS_BIN", "/nonexistent/prometheus");

        assertThat(cli.mlops(home, env).execute("observe")).isEqualTo(1);

        assertThat(cli.err()).contains("Prometheus is not installed").contains("apt-get install prometheus");
        JsonNode targets = Json.read(Files.readString(home.resolve("state/prometheus/targets.json")), JsonNode.class);
        assertThat(targetsByService(targets)).containsEntry("tracking-svc", "127.0.0.1:" + env.get("MLOPS_TRACKING_PORT"))
                .containsEntry("model-server", "127.0.0.1:" + env.get("MLOPS_SERVING_PORT"))
                .containsKeys("ingest-svc", "preprocess-svc", "train-svc", "evaluate-svc", "image-svc", "deploy-svc");
    }

    @Test
    void aBadScrapeIntervalIsAUsageError() {
        assertThat(cli.mlops(home, env).execute("observe", "--scrape-interval", "often")).isEqualTo(2);
        assertThat(cli.err()).contains("--scrape-interval expects a positive duration");
    }

    @Test
    void prometheusLoadsTheConfigurationAndScrapesEveryServiceUntilDown() throws Exception {
        Mlops mlops = cli.mlops(home, env);
        assertThat(mlops.execute("observe", "--scrape-interval", "1s")).as(cli.err()).isZero();
        String prometheus = "http://127.0.0.1:" + env.get("MLOPS_PROMETHEUS_PORT");
        assertThat(cli.out()).contains("prometheus ready at " + prometheus)
                .contains("pipeline-stages.json");

        // the services are not running here: every target is known to Prometheus, and down
        await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonNode active = Json.read(get(prometheus + "/api/v1/targets"), JsonNode.class).path("data").path("activeTargets");
            List<String> services = new ArrayList<>();
            active.forEach(target -> {
                services.add(target.path("labels").path("service").asText());
                assertThat(target.path("scrapeUrl").asText()).endsWith("/q/metrics");
                assertThat(target.path("health").asText()).isEqualTo("down");
            });
            assertThat(services).containsExactlyInAnyOrder("tracking-svc", "ingest-svc", "preprocess-svc", "train-svc",
                    "evaluate-svc", "image-svc", "deploy-svc", "model-server");
        });
        assertThat(mlops.execute("observe")).isZero();
        assertThat(cli.out()).contains("prometheus is already running");

        assertThat(mlops.execute("down")).isZero();
        assertThat(cli.out()).contains("stopped prometheus");
        assertThat(Network.accepts(Integer.parseInt(env.get("MLOPS_PROMETHEUS_PORT")))).isFalse();
    }

    private static Map<String, String> targetsByService(JsonNode targets) {
        Map<String, String> byService = new HashMap<>();
        targets.forEach(t -> byService.put(t.path("labels").path("service").asText(), t.path("targets").get(0).asText()));
        return byService;
    }

    private static String get(String url) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
