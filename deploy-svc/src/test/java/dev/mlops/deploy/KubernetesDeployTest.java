package dev.mlops.deploy;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import dev.mlops.testing.TrackingStub;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServer;
import io.quarkus.test.kubernetes.client.KubernetesTestServer;
import io.quarkus.test.kubernetes.client.WithKubernetesTestServer;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The Kubernetes target against fabric8's mock API server in CRUD mode. The mock has no controller, so a test that
 * expects the rollout to finish plays the Deployment controller: once the new image is set it writes a ready status.
 * The serving Service is a real model-server serving the run's bundle ({@link ServedModelResource}).
 */
@QuarkusTest
@WithKubernetesTestServer(crud = true)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingStub.class)
@QuarkusTestResource(value = ServedModelResource.class, restrictToAnnotatedClass = true)
class KubernetesDeployTest {

    static final String NAMESPACE = "mlmodel";
    static final String DEPLOYMENT = "mlflow-model-deployment";
    static final String CONTAINER = "mlflow-model-container";
    static final String OLD_IMAGE = "127.0.0.1:5000/mlops/titanic-rf:previous";

    @KubernetesTestServer
    KubernetesServer mockServer;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.deploy.kubernetes.serving-url")
    Optional<String> servingUrl;

    @Inject
    ArtifactStore store;

    private Thread controller;

    @BeforeEach
    void createTheServingDeployment() {
        client().apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).delete();
        client().apps().deployments().inNamespace(NAMESPACE).resource(new DeploymentBuilder()
                .withNewMetadata().withName(DEPLOYMENT).withNamespace(NAMESPACE).endMetadata()
                .withNewSpec().withReplicas(0)
                .withNewSelector().addToMatchLabels("app", "mlflow-model").endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", "mlflow-model").endMetadata()
                .withNewSpec()
                .addNewContainer().withName("log-shipper").withImage("busybox:1").endContainer()
                .addNewContainer().withName(CONTAINER).withImage(OLD_IMAGE).endContainer()
                .endSpec().endTemplate().endSpec().build()).create();
    }

    @AfterEach
    void stopTheController() throws InterruptedException {
        if (controller != null) {
            controller.interrupt();
            controller.join();
            controller = null;
        }
    }

    @Test
    void setsTheImageScalesToOneRestartsAndSucceedsOnceTheRolloutIsAvailable() {
        String runId = TestRuns.newRunId();
        String image = "127.0.0.1:5000/mlops/titanic-rf:" + runId.substring(0, 8);
        actAsControllerOnceImageIs(image);
        StageEvent completed = deploy(runId, servedArtifacts(runId), image);

        Deployment deployment = deployment();
        assertThat(container(deployment).getImage()).isEqualTo(image);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("busybox:1");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsKey("kubectl.kubernetes.io/restartedAt");
        assertThat(completed.params())
                .containsEntry("serving_url", servingUrl.orElseThrow() + "/invocations")
                .containsEntry("deploy_target", "kubernetes")
                .containsEntry("deployment", NAMESPACE + "/" + DEPLOYMENT)
                .containsEntry("image_ref", image);
        assertThat(completed.metrics().get("inference_accuracy"))
                .isCloseTo(TestRuns.modelA().accuracy(), within(1e-9));
        assertThat(TrackingStub.aliasCalls(TestRuns.MODEL_NAME)).last()
                .satisfies(call -> assertThat(Json.tree(call.body()).path("version").asInt()).isEqualTo(9));
    }

    @Test
    void aRolloutThatNeverBecomesAvailableFailsAfterTheTimeoutSayingHowFarItGot() {
        String runId = TestRuns.newRunId();
        String image = "127.0.0.1:5000/mlops/titanic-rf:" + runId.substring(0, 8);
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, servedArtifacts(runId), "kubernetes", params(image)));
        String error = TestRuns.awaitFailure(kafka(), runId);

        assertThat(error).startsWith("rollout of mlmodel/mlflow-model-deployment not available after 3 s: 0/1 replicas ready");
        assertThat(container(deployment()).getImage()).isEqualTo(image);
    }

    @Test
    void aMissingDeploymentFailsNamingIt() {
        client().apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).delete();
        String runId = TestRuns.newRunId();
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, servedArtifacts(runId), "kubernetes",
                params("127.0.0.1:5000/mlops/titanic-rf:x")));
        assertThat(TestRuns.awaitFailure(kafka(), runId))
                .contains("Deployment mlmodel/mlflow-model-deployment does not exist");
    }

    @Test
    void aServiceAnsweringWithAnotherModelFailsTheStageAndPutsThePreviousImageBack() {
        String runId = TestRuns.newRunId();
        String image = "127.0.0.1:5000/mlops/titanic-rf:" + runId.substring(0, 8);
        actAsControllerOnceImageIs(image);
        // the event names model B while the Service answers with model A
        Map<String, String> artifacts = TestRuns.store(store, runId, TestRuns.modelB());
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, artifacts, "kubernetes", params(image)));
        String error = TestRuns.awaitFailure(kafka(), runId);

        assertThat(error).contains("predicts differently").contains("is set back to " + OLD_IMAGE);
        assertThat(container(deployment()).getImage()).isEqualTo(OLD_IMAGE);
    }

    /** The Deployment controller's part: when the new image is set and the restart annotated, report it ready. */
    private void actAsControllerOnceImageIs(String image) {
        controller = new Thread(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    Deployment d = deployment();
                    if (d != null && image.equals(container(d).getImage()) && d.getSpec().getTemplate().getMetadata()
                            .getAnnotations() != null && d.getSpec().getTemplate().getMetadata().getAnnotations()
                            .containsKey("kubectl.kubernetes.io/restartedAt")) {
                        int replicas = d.getSpec().getReplicas();
                        d.setStatus(new DeploymentStatusBuilder().withObservedGeneration(d.getMetadata().getGeneration())
                                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(replicas)
                                .withAvailableReplicas(replicas).build());
                        client().apps().deployments().inNamespace(NAMESPACE).resource(d).updateStatus();
                        return;
                    }
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fake-deployment-controller");
        controller.start();
    }

    private StageEvent deploy(String runId, Map<String, String> artifacts, String image) {
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, artifacts, "kubernetes", params(image)));
        return TestRuns.awaitCompleted(kafka(), runId);
    }

    private static Map<String, String> params(String image) {
        return Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "9", "image_ref", image,
                "image_pushed", "true");
    }

    /** The files the Service's model-server serves, stored in S3 as the run's artifacts. */
    private Map<String, String> servedArtifacts(String runId) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        try (Stream<Path> files = Files.walk(ServedModelResource.folder)) {
            for (Path file : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".log")).toList()) {
                String name = ServedModelResource.folder.relativize(file).toString();
                artifacts.put(name, store.put(runId, name, Files.readAllBytes(file), "application/octet-stream").toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return artifacts;
    }

    private Deployment deployment() {
        return client().apps().deployments().inNamespace(NAMESPACE).withName(DEPLOYMENT).get();
    }

    private static io.fabric8.kubernetes.api.model.Container container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> CONTAINER.equals(c.getName())).findFirst().orElseThrow();
    }

    private KubernetesClient client() {
        return mockServer.getClient();
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
