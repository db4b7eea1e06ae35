package dev.mlops.deploy;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import dev.mlops.testing.TrackingStub;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** deploy-svc where no container runtime answers at mlops.deploy.container.docker-host (a socket nobody serves). */
@QuarkusTest
@TestProfile(NoContainerRuntimeTest.NoRuntime.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingStub.class)
@QuarkusTestResource(value = LocalDeployResource.class, restrictToAnnotatedClass = true)
class NoContainerRuntimeTest {

    static final String MISSING_SOCKET = "unix://" + Path.of("target", "no-runtime-" + UUID.randomUUID() + ".sock")
            .toAbsolutePath();

    public static class NoRuntime implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mlops.deploy.container.docker-host", MISSING_SOCKET);
        }
    }

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @Test
    void aContainerDeployFailsNamingTheSettingAndWhatToInstallWhileLocalDeploysStillWork() {
        KafkaTestClient kafka = new KafkaTestClient(bootstrap);
        TestRuns.TrainedModel model = TestRuns.modelA();
        String containerRun = TestRuns.newRunId();
        TestRuns.publish(kafka, TestRuns.imageCompleted(containerRun, TestRuns.store(store, containerRun, model),
                "container", Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "1",
                        "image_ref", "127.0.0.1:5000/mlops/titanic-rf:abc", "image_pushed", "true")));

        assertThat(TestRuns.awaitFailure(kafka, containerRun))
                .contains("no container runtime answers at " + MISSING_SOCKET)
                .contains("mlops.deploy.container.docker-host")
                .contains("apt-get install -y podman runc");

        // the service itself is fine: the next local deploy serves
        String localRun = TestRuns.newRunId();
        TestRuns.publish(kafka, TestRuns.imageCompleted(localRun, TestRuns.store(store, localRun, model), "local",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "2")));
        assertThat(TestRuns.awaitCompleted(kafka, localRun).params()).containsEntry("deploy_target", "local");
    }
}
