package dev.mlops.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a service's container is given: the environment its process would see and the paths it must read. */
class ContainerLauncherTest {

    @TempDir
    Path home;
    private LocalStack stack;
    private ContainerLauncher launcher;

    @BeforeEach
    void stack() {
        stack = new LocalStack(CliSettings.of(home, Map.of("MLOPS_STATE_DIR", home.resolve("state").toString(),
                "MLOPS_INGEST_ALLOW_PRIVATE_ADDRESSES", "true", "QUARKUS_LOG_LEVEL", "DEBUG",
                "MLOPS_S3_BUCKET", "users-bucket", "PATH", "/usr/bin", "HOME", "/root")));
        launcher = new ContainerLauncher(stack, stack.podman());
    }

    @Test
    void aContainerSeesTheUsersPlatformVariablesAndWhatUpSetsOverThem() {
        Map<String, String> env = launcher.environment(Map.of("MLOPS_S3_BUCKET", "mlops-artifacts",
                "QUARKUS_HTTP_PORT", "8080"));

        assertThat(env).containsEntry("MLOPS_INGEST_ALLOW_PRIVATE_ADDRESSES", "true")
                .containsEntry("QUARKUS_LOG_LEVEL", "DEBUG")
                .containsEntry("MLOPS_S3_BUCKET", "mlops-artifacts")
                .containsEntry("QUARKUS_HTTP_PORT", "8080")
                .as("the host's own variables stay on the host").doesNotContainKeys("PATH", "HOME");
    }

    @Test
    void aValueWithALineBreakIsRefusedNamingTheVariable() {
        // an environment file holds one variable per line: a line break would smuggle in another variable
        assertThatThrownBy(() -> launcher.environment(Map.of("MLOPS_API_TOKEN", "abc\nMLOPS_S3_BUCKET=other")))
                .isInstanceOf(CliException.class)
                .hasMessage("MLOPS_API_TOKEN has a line break, which a container's environment file cannot hold");
    }

    @Test
    void ingestSeesItsFileRootsImageSvcItsBaseTarballAndDeploySvcThePodmanSocket() throws Exception {
        Path data = Files.createDirectories(home.resolve("data"));
        Path datasets = Files.createDirectories(home.resolve("state/datasets"));

        assertThat(launcher.mounts(service("ingest-svc"), Map.of("MLOPS_INGEST_FILE_ROOTS",
                data + "," + datasets + "," + home.resolve("missing")))).containsExactly(data, datasets);
        assertThat(launcher.mounts(service("image-svc"), Map.of("MLOPS_IMAGE_BASE", "tar:/cache/images/model-server.tar")))
                .containsExactly(Path.of("/cache/images"));
        assertThat(launcher.mounts(service("image-svc"), Map.of("MLOPS_IMAGE_BASE", "127.0.0.1:5000/mlops/model-server:1")))
                .isEmpty();
        assertThat(launcher.mounts(service("deploy-svc"), Map.of(LocalStack.DOCKER_HOST_VARIABLE,
                "unix:///state/podman/podman.sock"))).containsExactly(Path.of("/state/podman/podman.sock"));
        assertThat(launcher.mounts(service("train-svc"), Map.of("MLOPS_INGEST_FILE_ROOTS", data.toString()))).isEmpty();
    }

    @Test
    void deploySvcKeepsItsRecordOfTheServedModelInTheHostsStateFolderWhereDownReadsIt() {
        Map<String, String> env = launcher.environment(launcher.withOwnState(service("deploy-svc"),
                Map.of(LocalStack.DOCKER_HOST_VARIABLE, "unix:///state/podman/podman.sock")));

        Path deployState = Path.of(env.get(ContainerLauncher.DEPLOY_STATE_VARIABLE));
        assertThat(deployState).isAbsolute();
        assertThat(stack.settings().state().servedModel()).as("what ./mlops down reads").startsWithRaw(deployState);
        assertThat(launcher.mounts(service("deploy-svc"), env)).contains(deployState);
        assertThat(launcher.withOwnState(service("train-svc"), Map.of())).isEmpty();
    }

    @Test
    void containerNamesAreUniqueOnTheMachineByPort() {
        assertThat(ContainerLauncher.containerName(ServiceModule.TRACKING, 18080)).isEqualTo("mlops-tracking-svc-18080");
    }

    @Test
    void aServiceRunningAsAContainerShowsItsContainerInStatus() throws Exception {
        stack.settings().state().create();
        PidRecord.of("tracking-svc", ProcessHandle.current(), 1, "http://127.0.0.1:1", home.resolve("t.log"))
                .inContainer("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b").write(stack.settings().state().pids());

        assertThat(StackStatus.table(stack)).containsPattern("tracking-svc +container 9f86d081884c +"
                + ProcessHandle.current().pid() + " +http://127.0.0.1:1 +not answering");
    }

    private static ServiceModule service(String name) {
        return ServiceModule.ALL.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
