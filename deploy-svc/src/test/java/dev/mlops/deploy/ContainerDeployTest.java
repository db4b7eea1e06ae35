package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.deploy.service.ContainerLauncher;
import dev.mlops.deploy.service.ServingFront;
import dev.mlops.deploy.service.ServingSlot;
import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import dev.mlops.testing.TrackingStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static dev.mlops.deploy.TestRuns.get;
import static dev.mlops.deploy.TestRuns.post;
import static dev.mlops.deploy.TestRuns.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The container target with real podman (its Docker Engine API socket), a real registry and the real serving image:
 * each run's image is the serving base plus its model layer, as the image stage builds it. Every container a test
 * starts carries its run id as a label and is removed at the end whatever happened.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingStub.class)
@QuarkusTestResource(value = LocalDeployResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = ContainerDeployResource.class, restrictToAnnotatedClass = true)
class ContainerDeployTest {

    static final Set<String> RUNS = ConcurrentHashMap.newKeySet();

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.deploy.local.port")
    int frontPort;

    @ConfigProperty(name = "mlops.deploy.local.state-dir")
    Path stateDir;

    @Inject
    ArtifactStore store;

    @Inject
    ContainerLauncher containers;

    @Inject
    Vertx vertx;

    @Test
    void thePushedImageServesAtTheStableUrlAndPredictsAsTheRunsModel() throws Exception {
        TestRuns.TrainedModel model = TestRuns.modelA();
        String runId = newRun();
        String image = ModelImages.push(runId, model, "file:" + ModelImages.MODEL_ROOT);

        StageEvent completed = deployPushed(runId, model, image, "7");

        String servingUrl = frontUrl() + "/invocations";
        List<String> running = containersOf(runId);
        assertThat(running).hasSize(1);
        assertThat(completed.params())
                .containsEntry("serving_url", servingUrl)
                .containsEntry("deploy_target", "container")
                .containsEntry("image_ref", image)
                .containsEntry("model_version", "7")
                .containsKey("container_name");
        assertThat(completed.params().get("container_id")).startsWith(running.get(0));
        assertThat(completed.metrics().get("inference_accuracy")).isCloseTo(model.accuracy(), within(1e-9));
        System.out.printf("container start to ready: %.2f s%n", completed.metrics().get("container_ready_seconds"));
        assertThat(completed.metrics().get("container_ready_seconds")).isPositive();
        assertThat(TrackingStub.aliasCalls(TestRuns.MODEL_NAME)).last()
                .satisfies(call -> assertThat(Json.tree(call.body()).path("version").asInt()).isEqualTo(7));

        assertThat(predictions(post(servingUrl, TestRuns.dataframeSplit(model, 0, model.yTest().size())).body()))
                .isEqualTo(model.predictions());
        assertThat(Json.tree(get(frontUrl() + "/version").body()).path("version").asText()).isEqualTo("7");
        JsonNode current = currentDeployment();
        assertThat(current.path("backend").asText()).isEqualTo("container");
        assertThat(current.path("containerId").asText()).isEqualTo(completed.params().get("container_id"));
        assertThat(podman("inspect", "--format", "{{.HostConfig.Memory}}", running.get(0)).strip())
                .as("mlops.deploy.container.memory=512M").isEqualTo(String.valueOf(512L * 1024 * 1024));
    }

    @Test
    void aSecondContainerReplacesTheFirstBehindTheSameUrlWithoutAFailedRequest() throws Exception {
        TestRuns.TrainedModel a = TestRuns.modelA();
        TestRuns.TrainedModel b = TestRuns.modelB();
        String runA = newRun();
        deployPushed(runA, a, ModelImages.push(runA, a, "file:" + ModelImages.MODEL_ROOT), "31");
        assertThat(containersOf(runA)).hasSize(1);

        // run B's image was not pushed: deploy loads the image stage's tarball (image/image.tar) from S3
        String runB = newRun();
        Map<String, String> artifacts = new LinkedHashMap<>(TestRuns.store(store, runB, b));
        artifacts.put("image/image.tar", store.put(runB, "image/image.tar", ModelImages.tarball(runB, b),
                "application/x-tar").toString());
        String servingUrl = frontUrl() + "/invocations";
        RequestLoop client = new RequestLoop(servingUrl, TestRuns.dataframeSplit(a, 0, 20));
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runB, artifacts, "container", Map.of(
                "model_name", TestRuns.MODEL_NAME, "model_version", "32",
                "image_ref", ModelImages.name(runB), "image_pushed", "false")));
        StageEvent completedB = TestRuns.awaitCompleted(kafka(), runB);
        int sentDuringDeploy = client.sent();
        client.close();

        assertThat(client.failures()).as("failed requests among %d sent during the swap", client.sent()).isEmpty();
        assertThat(sentDuringDeploy).as("requests sent while run B was deployed").isGreaterThan(10);
        assertThat(completedB.params()).containsEntry("serving_url", servingUrl)
                .containsEntry("image_ref", ModelImages.name(runB));
        assertThat(Json.tree(get(frontUrl() + "/version").body()).path("version").asText()).isEqualTo("32");
        assertThat(predictions(post(servingUrl, TestRuns.dataframeSplit(b, 0, b.yTest().size())).body()))
                .isEqualTo(b.predictions());
        assertThat(containersOf(runA)).as("run A's container, stopped and removed").isEmpty();
        assertThat(containersOf(runB)).hasSize(1);
    }

    @Test
    void aContainerThatNeverGetsReadyFailsWithItsLastLogLinesAndThePreviousModelKeepsServing() throws Exception {
        TestRuns.TrainedModel a = TestRuns.modelA();
        String goodRun = newRun();
        deployPushed(goodRun, a, ModelImages.push(goodRun, a, "file:" + ModelImages.MODEL_ROOT), "41");
        int aliasCalls = TrackingStub.aliasCalls(TestRuns.MODEL_NAME).size();

        // an image whose MLOPS_MODEL_URI points at a folder the image does not have: model-server cannot start
        String badRun = newRun();
        String badImage = ModelImages.push(badRun, a, "file:/opt/no-model-here");
        TestRuns.publish(kafka(), TestRuns.imageCompleted(badRun, TestRuns.store(store, badRun, a), "container",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "42", "image_ref", badImage)));
        String error = TestRuns.awaitFailure(kafka(), badRun);

        assertThat(error).contains("exited with code").contains("before answering /ping")
                .contains("its last log lines").contains("/opt/no-model-here");
        assertThat(containersOf(badRun)).as("the failed container, removed").isEmpty();
        assertThat(TrackingStub.aliasCalls(TestRuns.MODEL_NAME)).hasSize(aliasCalls);
        assertThat(Json.tree(get(frontUrl() + "/version").body()).path("version").asText()).isEqualTo("41");
        assertThat(predictions(post(frontUrl() + "/invocations", TestRuns.dataframeSplit(a, 0, a.yTest().size()))
                .body())).isEqualTo(a.predictions());
        assertThat(currentDeployment().path("runId").asText()).isEqualTo(goodRun);
    }

    @Test
    void anImageTheRegistryDoesNotHoldFailsSayingToRunThePipelineAgain() throws Exception {
        String runId = newRun();
        String missing = ContainerDeployResource.registry.address() + "/" + ModelImages.name(runId);
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, TestRuns.store(store, runId, TestRuns.modelA()),
                "container", Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "51", "image_ref", missing)));

        assertThat(TestRuns.awaitFailure(kafka(), runId)).contains("could not pull " + missing)
                .contains("The registry does not hold this image").contains("run the pipeline again");
        assertThat(containersOf(runId)).isEmpty();
    }

    @Test
    void anUnreachableRegistryIsTriedAgainThenFailsSayingToCheckIt() throws Exception {
        String runId = newRun();
        String unreachable = "127.0.0.1:" + Ports.free() + "/" + ModelImages.name(runId);
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, TestRuns.store(store, runId, TestRuns.modelA()),
                "container", Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "52", "image_ref", unreachable)));

        assertThat(TestRuns.awaitFailure(kafka(), runId)).contains("gave up after 2 tries")
                .contains("could not pull " + unreachable).contains("Check that the registry runs");
        assertThat(containersOf(runId)).isEmpty();
    }

    @Test
    void localAndContainerDeploysReplaceEachOtherBehindTheSameUrl() throws Exception {
        TestRuns.TrainedModel a = TestRuns.modelA();
        TestRuns.TrainedModel b = TestRuns.modelB();
        String localRun = newRun();
        TestRuns.publish(kafka(), TestRuns.imageCompleted(localRun, TestRuns.store(store, localRun, a), "local",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "61")));
        TestRuns.awaitCompleted(kafka(), localRun);
        long pid = currentDeployment().path("pid").asLong();

        String containerRun = newRun();
        deployPushed(containerRun, b, ModelImages.push(containerRun, b, "file:" + ModelImages.MODEL_ROOT), "62");
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                .as("the local model-server stopped for the container").isFalse();
        assertThat(Json.tree(get(frontUrl() + "/version").body()).path("version").asText()).isEqualTo("62");

        String nextLocalRun = newRun();
        TestRuns.publish(kafka(), TestRuns.imageCompleted(nextLocalRun, TestRuns.store(store, nextLocalRun, a),
                "local", Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "63")));
        TestRuns.awaitCompleted(kafka(), nextLocalRun);
        assertThat(containersOf(containerRun)).as("the container replaced by a local model-server").isEmpty();
        assertThat(currentDeployment().path("backend").asText()).isEqualTo("local-model-server");
        assertThat(Json.tree(get(frontUrl() + "/version").body()).path("version").asText()).isEqualTo("63");
    }

    @Test
    void aRestartedDeploySvcAdoptsTheContainerThatStillServes() throws Exception {
        TestRuns.TrainedModel model = TestRuns.modelA();
        String runId = newRun();
        String image = ModelImages.push(runId, model, "file:" + ModelImages.MODEL_ROOT);
        deployPushed(runId, model, image, "31");
        String containerId = currentDeployment().path("containerId").asText();

        // what a deploy-svc that starts again does: a slot of its own, with a front of its own, on the same state folder
        ServingSlot restarted = new ServingSlot(new ServingFront(vertx, "127.0.0.1", Ports.free(), 1 << 20), stateDir,
                Duration.ofSeconds(1), List.of(containers));
        try {
            assertThat(restarted.current()).isInstanceOfSatisfying(ContainerLauncher.ModelContainer.class,
                    adopted -> assertThat(adopted.id()).isEqualTo(containerId));
            assertThat(predictions(post(restarted.servingUrl(), TestRuns.dataframeSplit(model, 0,
                    model.yTest().size())).body())).isEqualTo(model.predictions());
            assertThat(get(restarted.servingUrl().replace("/invocations", "/version")).body()).contains("31");
        } finally {
            restarted.close();
        }
        assertThat(containersOf(runId)).as("the adopted container keeps running").hasSize(1);
    }

    @Test
    void aContainerLeftByADeploySvcThatDiedIsRemovedWhenTheServingSlotStarts() throws Exception {
        String runId = newRun();
        String image = ModelImages.push(runId, TestRuns.modelA(), "file:" + ModelImages.MODEL_ROOT);
        String orphan = podman("run", "-d", "--label", "dev.mlops.run-id=" + runId, "--label",
                "dev.mlops.role=model-server", image).strip().lines().reduce((first, last) -> last).orElseThrow();
        Path state = Files.createTempDirectory(Path.of("target"), "orphan-state-");
        Files.writeString(state.resolve("current.json"), Json.write(Map.of("runId", runId, "backend", "container",
                "containerId", orphan)));

        new ServingSlot(new ServingFront(vertx, "127.0.0.1", Ports.free(), 1024), state, Duration.ofSeconds(1),
                List.of(containers));

        assertThat(containersOf(runId)).isEmpty();
        assertThat(state.resolve("current.json")).doesNotExist();
    }

    @AfterAll
    static void removeTheTestsContainersAndImages() throws Exception {
        for (String runId : RUNS) {
            for (String id : containersOf(runId)) {
                podman("rm", "-f", "-t", "0", id);
            }
            for (String id : podman("images", "-q", "--filter", "label=dev.mlops.run-id=" + runId).lines()
                    .filter(line -> !line.isBlank()).distinct().toList()) {
                podman("rmi", "-f", id);
            }
        }
    }

    private StageEvent deployPushed(String runId, TestRuns.TrainedModel model, String image, String version) {
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, TestRuns.store(store, runId, model), "container",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", version, "image_ref", image,
                        "image_pushed", "true")));
        return TestRuns.awaitCompleted(kafka(), runId);
    }

    private static String newRun() {
        String runId = TestRuns.newRunId();
        RUNS.add(runId);
        return runId;
    }

    /** Ids of the containers (running or not) labelled with the run, as {@code podman ps -a} lists them. */
    static List<String> containersOf(String runId) throws IOException, InterruptedException {
        return podman("ps", "-a", "-q", "--no-trunc", "--filter", "label=dev.mlops.run-id=" + runId).lines()
                .filter(line -> !line.isBlank()).toList();
    }

    private static String podman(String... args) throws IOException, InterruptedException {
        Process process = ContainerDeployResource.podman.podman(args).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("podman " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    private String frontUrl() {
        return "http://127.0.0.1:" + frontPort;
    }

    private JsonNode currentDeployment() throws IOException {
        return Json.tree(Files.readString(stateDir.resolve("current.json")));
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
