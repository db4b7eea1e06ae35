package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.cli.Mlops;
import dev.mlops.cli.ScratchStack;
import dev.mlops.common.json.Json;
import dev.mlops.common.tracking.TrackingClient;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops up --containers}: every service runs in podman from the image {@code ./mlops images} builds (a JRE
 * from Debian packages plus the service's Quarkus application), with the data servers as processes; a pipeline run
 * goes through all of them and is deployed as a container by the containerised deploy-svc. A stack of its own, next to
 * the one the other e2e tests share.
 */
class ServiceContainersIT {

    static final Map<String, String> SERVICE_PORTS = Map.of(
            "tracking-svc", "MLOPS_TRACKING_PORT", "ingest-svc", "MLOPS_INGEST_PORT",
            "preprocess-svc", "MLOPS_PREPROCESS_PORT", "train-svc", "MLOPS_TRAIN_PORT",
            "evaluate-svc", "MLOPS_EVALUATE_PORT", "image-svc", "MLOPS_IMAGE_PORT", "deploy-svc", "MLOPS_DEPLOY_PORT");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyServiceRunsFromItsImageAndARunGoesThroughThemAll() throws Exception {
        Path state = LocalPlatform.HOME.resolve("e2e-tests/target/e2e-containers-state");
        Map<String, String> env = ScratchStack.environment(LocalPlatform.HOME, state, System.getenv(), "e2e-containers");
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);
        Mlops mlops = new Mlops(LocalPlatform.HOME, env, new TeeStream(out, System.out), System.err, false);
        String runId = null;
        try {
            assertThat(mlops.execute("up", "--containers")).as("./mlops up --containers").isZero();
            String dockerHost = "unix://" + state.resolve("podman/podman.sock").toAbsolutePath();

            String running = podman(dockerHost, "ps", "--format", "{{.Image}} {{.Status}}");
            for (Map.Entry<String, String> service : SERVICE_PORTS.entrySet()) {
                assertThat(running).as("containers running").contains("mlops/" + service.getKey() + ":");
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(URI.create(
                        "http://127.0.0.1:" + env.get(service.getValue()) + "/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(ready.statusCode()).as("%s ready: %s", service.getKey(), ready.body()).isEqualTo(200);
            }

            TrackingClient tracking = new TrackingClient(URI.create("http://127.0.0.1:" + env.get("MLOPS_TRACKING_PORT")),
                    Optional.of(env.get("MLOPS_API_TOKEN")));
            runId = tracking.startPipeline(ContainerDeployIT.CONTAINER_SMALL_GRID);
            JsonNode run = awaitEnd(tracking, runId, Duration.ofMinutes(6));
            assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
            List<String> stages = new ArrayList<>();
            run.path("stages").forEach(stage -> stages.add(stage.path("stage").asText() + ":" + stage.path("status").asText()));
            assertThat(stages).containsExactly("ingest:COMPLETED", "preprocess:COMPLETED", "train:COMPLETED",
                    "evaluate:COMPLETED", "image:COMPLETED", "deploy:COMPLETED");
            assertThat(run.path("params").path("deploy_target").asText()).isEqualTo("container");

            HttpResponse<String> prediction = http.send(HttpRequest.newBuilder(URI.create(run.path("servingUrl").asText()))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(ServingClient.PASSENGER)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(prediction.statusCode()).as(prediction.body()).isEqualTo(200);
            assertThat(Json.tree(prediction.body()).path("predictions").get(0).asText()).isIn("0", "1");
        } finally {
            assertThat(mlops.execute("down", "--purge")).as("./mlops down --purge").isZero();
        }
        assertThat(output.toString(StandardCharsets.UTF_8)).doesNotContain("Exception");
        String left = leftoverContainers();
        SERVICE_PORTS.keySet().forEach(service -> assertThat(left).as("containers left after down")
                .doesNotContain("mlops/" + service + ":"));
        // the model deploy-svc served from its container (named after the run) goes with the stack
        assertThat(left).as("containers left after down").doesNotContain("mlops-model-" + runId.substring(0, 8));
    }

    private static JsonNode awaitEnd(TrackingClient tracking, String runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = tracking.run(runId);
        while (run.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
            Thread.sleep(500);
            run = tracking.run(runId);
        }
        return run;
    }

    private static String podman(String dockerHost, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--url", dockerHost));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
        return output.trim();
    }

    /** What runs, asked of the machine's podman directly (down stopped the platform's podman service). */
    private static String leftoverContainers() throws Exception {
        Process process = new ProcessBuilder("podman", "ps", "-a", "--format", "{{.Image}} {{.Names}}")
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return output;
    }

    /** Writes to both streams: the test keeps the output to check it, the log shows it as it happens. */
    private static final class TeeStream extends PrintStream {
        private final PrintStream second;

        TeeStream(PrintStream first, PrintStream second) {
            super(first, true, StandardCharsets.UTF_8);
            this.second = second;
        }

        @Override
        public void write(byte[] buffer, int offset, int length) {
            super.write(buffer, offset, length);
            second.write(buffer, offset, length);
        }

        @Override
        public void write(int b) {
            super.write(b);
            second.write(b);
        }
    }
}
