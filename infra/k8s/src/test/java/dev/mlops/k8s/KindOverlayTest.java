package dev.mlops.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The kind overlay's wiring of the local registry, and the scripts around it. */
class KindOverlayTest {

    /**
     * image-svc builds FROM the model-server image the overlay deploys, under the name pods reach the registry by,
     * and pushes where the nodes can pull from (kind.sh maps both names to the registry container).
     */
    @Test
    void imageSvcBuildsOnTheDeployedModelServerImageInTheClusterRegistry() throws IOException {
        Manifests kind = Kustomize.render(Kustomize.KIND);
        Map<String, String> config = kind.generated(ConfigMap.class, "mlops", "image-svc-config").getData();
        String servingImage = kind.workload("mlmodel", "mlflow-model-deployment").containers().get(0).getImage();
        String registry = config.get("MLOPS_IMAGE_REGISTRY");
        assertThat(registry).isEqualTo("kind-registry:5000");
        assertThat(config.get("MLOPS_IMAGE_INSECURE_REGISTRIES")).as("plain HTTP registry").isEqualTo("true");
        assertThat(servingImage).startsWith("localhost:5001/");
        assertThat(config.get("MLOPS_IMAGE_BASE")).as("same repository as the serving image, by the pods' name")
                .isEqualTo(registry + servingImage.substring("localhost:5001".length()));

        String script = Files.readString(Kustomize.MODULE.resolve("kind.sh"));
        assertThat(script).as("kind.sh maps both registry names on the nodes")
                .contains("\"localhost:$REGISTRY_PORT\" \"$REGISTRY_NAME:5000\"")
                .contains("REGISTRY_NAME=kind-registry").contains("REGISTRY_PORT=5001");
        assertThat(Files.readString(Kustomize.MODULE.resolve("overlays/kind/kind-cluster.yaml")))
                .contains("config_path = \"/etc/containerd/certs.d\"");
    }

    @Test
    void theBaseLeavesTheRegistryToTheOverlay() {
        Map<String, String> config = Kustomize.render(Kustomize.BASE)
                .generated(ConfigMap.class, "mlops", "image-svc-config").getData();
        assertThat(config).doesNotContainKeys("MLOPS_IMAGE_REGISTRY", "MLOPS_IMAGE_BASE");
    }

    @Test
    void generateSecretsWritesPrivateRandomFilesAndKeepsExistingOnes() throws IOException {
        Path first = scratch("secrets-a");
        Path second = scratch("secrets-b");
        Kustomize.run(first, "bash", first.resolve("generate-secrets.sh").toString());
        Kustomize.run(second, "bash", second.resolve("generate-secrets.sh").toString());
        Path file = first.resolve("base/secrets/s3-credentials.env");
        String before = Files.readString(file);
        assertThat(before).as("a different value per run").isNotEqualTo(
                Files.readString(second.resolve("base/secrets/s3-credentials.env")));
        assertThat(Files.getPosixFilePermissions(file)).as("owner-only")
                .containsOnly(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

        String output = Kustomize.run(first, "bash", first.resolve("generate-secrets.sh").toString());
        assertThat(Files.readString(file)).as("an existing file is kept").isEqualTo(before);
        assertThat(output).contains("kept");
    }

    @Test
    void kindShChecksItsPrerequisitesBeforeDoingAnything() throws IOException, InterruptedException {
        Path script = Kustomize.MODULE.resolve("kind.sh");
        Kustomize.run(Kustomize.MODULE, "bash", "-n", script.toString());

        // a PATH holding only what the script needs to find its own folder: no docker, kind, kubectl or java
        Path bin = scratch("empty-path");
        Files.createSymbolicLink(bin.resolve("dirname"), Path.of("/usr/bin/dirname"));
        ProcessBuilder p = new ProcessBuilder("/bin/bash", script.toString(), "up").redirectErrorStream(true)
                .directory(bin.toFile());
        p.environment().put("PATH", bin.toString());
        Process run = p.start();
        String output = new String(run.getInputStream().readAllBytes());
        assertThat(run.waitFor()).as(output).isEqualTo(1);
        assertThat(output).contains("missing prerequisite: docker", "missing prerequisite: kind",
                "missing prerequisite: kubectl", "apt-get install kubernetes-client");

        Process usage = new ProcessBuilder("/bin/bash", script.toString()).redirectErrorStream(true).start();
        String usageOutput = new String(usage.getInputStream().readAllBytes());
        assertThat(usage.waitFor()).isEqualTo(2);
        assertThat(usageOutput).contains("usage:", "up|down");
    }

    /** An empty folder under target/, or a copy of the scripts' folder for generate-secrets.sh. */
    private static Path scratch(String name) throws IOException {
        Path dir = Kustomize.MODULE.resolve("target/scratch").resolve(name);
        Kustomize.deleteRecursively(dir);
        Files.createDirectories(dir);
        if (name.startsWith("secrets")) {
            Path script = dir.resolve("generate-secrets.sh");
            Files.copy(Kustomize.MODULE.resolve("generate-secrets.sh"), script);
            Files.setPosixFilePermissions(script, Set.copyOf(List.of(PosixFilePermission.OWNER_READ,
                    PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)));
        }
        return dir;
    }
}
