package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The published workflow's build → deploy → test on one machine: image-svc builds the serving image FROM the
 * model-server image {@code ./mlops up} assembled (a JRE from Debian packages, no Docker daemon), deploy-svc runs that
 * very image in podman through the Docker Engine API behind the stable serving URL, and the next run's container
 * replaces it without a failed request.
 */
@ExtendWith(LocalPlatform.class)
class ContainerDeployIT {

    static final String CONTAINER_SMALL_GRID = """
            {"model": {"grid": {"n_estimators": [100], "max_depth": [10], "min_samples_split": [5],
                                "min_samples_leaf": [1]}},
             "deploy": {"target": "container"}}""";

    final LocalPlatform.Platform platform = LocalPlatform.platform();
    final ServingClient serving = new ServingClient();

    @Test
    void theBuiltImageServesInAContainerAndTheNextRunsContainerReplacesItWithoutAFailedRequest() throws Exception {
        JsonNode first = platform.runToSuccess(CONTAINER_SMALL_GRID);
        String servingUrl = first.path("servingUrl").asText();
        assertThat(first.path("params").path("deploy_target").asText()).isEqualTo("container");
        String firstContainer = first.path("params").path("container_id").asText();
        assertThat(firstContainer).isNotBlank();
        assertThat(containers(first.path("runId").asText())).as("the first run's running container")
                .contains(shortId(firstContainer));

        // the container answers the run's test split exactly as the evaluated bundle does in-process
        serving.assertServesTheRunsModel(platform, first, servingUrl);
        assertThat(first.path("metrics").path("inference_accuracy").asDouble())
                .isEqualTo(first.path("metrics").path("accuracy").asDouble());

        // a client keeps calling the stable URL while the second run's container is started and swapped in
        AtomicBoolean calling = new AtomicBoolean(true);
        AtomicInteger answered = new AtomicInteger();
        List<String> failures = new ArrayList<>();
        Thread client = new Thread(() -> {
            while (calling.get()) {
                try {
                    HttpResponse<String> response = serving.send(servingUrl, ServingClient.PASSENGER);
                    if (response.statusCode() == 200) {
                        answered.incrementAndGet();
                    } else {
                        synchronized (failures) {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    }
                } catch (IOException e) {
                    synchronized (failures) {
                        failures.add(e.toString());
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "serving-client");
        client.start();
        JsonNode second;
        try {
            second = platform.runToSuccess(CONTAINER_SMALL_GRID);
        } finally {
            calling.set(false);
            client.join();
        }
        assertThat(failures).as("requests that failed during the swap").isEmpty();
        assertThat(answered.get()).as("requests answered during the second run").isGreaterThan(10);
        assertThat(second.path("servingUrl").asText()).isEqualTo(servingUrl);
        assertThat(serving.version(servingUrl).path("runId").asText()).isEqualTo(second.path("runId").asText());
        assertThat(containers(first.path("runId").asText())).as("the replaced container is removed").isEmpty();
        assertThat(containers(second.path("runId").asText()))
                .contains(shortId(second.path("params").path("container_id").asText()));
    }

    @Test
    void theImageARunBuiltRunsWithPlainPodmanRun() throws Exception {
        JsonNode run = platform.runToSuccess(CONTAINER_SMALL_GRID);
        String image = run.path("params").path("image_ref").asText();
        if (!"true".equals(run.path("params").path("image_pushed").asText())) {
            Path tarball = Files.createTempFile(platform.state(), "image-", ".tar");
            Files.write(tarball, platform.artifacts().read(URI.create(platform.artifacts(run).get("image/image.tar"))));
            podman("load", "-i", tarball.toString());
        }
        int port = Ports.free();
        String name = "e2e-podman-run-" + port;
        podman("run", "-d", "--name", name, "--label", "dev.mlops.e2e=true", "-p", "127.0.0.1:" + port + ":8090",
                image);
        try {
            String url = "http://127.0.0.1:" + port + "/invocations";
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            AtomicReference<HttpResponse<String>> answer = new AtomicReference<>();
            while (answer.get() == null && System.nanoTime() < deadline) {
                try {
                    answer.set(serving.send(url, ServingClient.PASSENGER));
                } catch (IOException notYet) {
                    Thread.sleep(200);
                }
            }
            assertThat(answer.get()).as("podman run %s answered within 60 s; logs:%n%s", image,
                    podmanQuietly("logs", "--tail", "20", name)).isNotNull();
            assertThat(answer.get().statusCode()).as(answer.get().body()).isEqualTo(200);
            assertThat(Json.tree(answer.get().body()).path("predictions").get(0).asText()).isIn("0", "1");
        } finally {
            podmanQuietly("rm", "-f", "-t", "0", name);
        }
    }

    /** Ids (12 characters) of the running containers labelled with the run's id. */
    private String containers(String runId) throws Exception {
        return podman("ps", "-q", "--filter", "label=dev.mlops.run-id=" + runId);
    }

    private static String shortId(String containerId) {
        return containerId.substring(0, Math.min(12, containerId.length()));
    }

    private String podman(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("podman", "--url", platform.dockerHost()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as("%s: %s", command, output).isZero();
        return output.trim();
    }

    private String podmanQuietly(String... args) {
        try {
            return podman(args);
        } catch (Throwable e) {
            return "(" + e.getMessage() + ")";
        }
    }
}
