package dev.mlops.k8s;

import dev.mlops.images.Folders;
import io.fabric8.kubernetes.api.model.ConfigMap;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
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

    /**
     * kind.sh up with stubs for docker, kind, kubectl, ./mvnw and ./mlops: the images are built by one Maven package
     * of the reactor, then pushed by ./mlops images to the registry the kind overlay's images name, before the
     * manifests are applied.
     */
    @Test
    void upPackagesThenPushesEveryImageWithMlopsImagesWhereTheOverlayPullsFrom() throws IOException,
            InterruptedException {
        KindUp up = KindUp.run("kind-up", "exit 0");
        assertThat(up.exitCode()).as(up.output()).isZero();

        String overlayImage = Kustomize.render(Kustomize.KIND).workload("mlmodel", "mlflow-model-deployment")
                .containers().get(0).getImage();
        String registry = ImageModules.parse(overlayImage).orElseThrow().registry();
        List<String> commands = up.commands();
        int build = commands.indexOf("mvnw -B package -DskipTests");
        int push = commands.indexOf("mlops images --push " + registry);
        int apply = commands.indexOf("kubectl --context kind-mlops apply -k " + up.overlay());
        assertThat(build).as("one Maven package of the reactor, no Quarkus image flags: %s", commands)
                .isNotNegative();
        assertThat(push).as("./mlops images pushes to %s, the overlay's registry: %s", registry, commands)
                .isGreaterThan(build);
        assertThat(apply).as("the manifests are applied once the images are pushed: %s", commands)
                .isGreaterThan(push);
        assertThat(commands).as("Maven runs once").filteredOn(c -> c.startsWith("mvnw")).hasSize(1);
    }

    /** Bad case: ./mlops images fails (say the Debian mirror is unreachable): kind.sh stops, nothing is applied. */
    @Test
    void aFailedImagePushStopsUpBeforeTheManifestsAreApplied() throws IOException, InterruptedException {
        String mlopsFails = "[[ $(basename \"$0\") != mlops ]] || { echo 'images: the Debian mirror is unreachable' >&2;"
                + " exit 1; }";
        KindUp up = KindUp.run("kind-up-push-fails", mlopsFails);
        assertThat(up.exitCode()).as(up.output()).isEqualTo(1);
        assertThat(up.output()).contains("images: the Debian mirror is unreachable");
        assertThat(up.commands()).as("after the failed push").contains("mlops images --push localhost:5001")
                .noneMatch(c -> c.contains(" apply -k ") || c.startsWith("generate-secrets.sh"));
    }

    /** A run of a copy of kind.sh up whose commands are stubs logging their arguments; {@code last} ends each stub. */
    private record KindUp(int exitCode, String output, List<String> commands, Path overlay) {

        static KindUp run(String name, String last) throws IOException, InterruptedException {
            Path dir = scratch(name);
            Path repo = dir.resolve("repo");
            Path bin = Files.createDirectories(dir.resolve("bin"));
            Path log = dir.resolve("commands.log");
            Files.createDirectories(repo.resolve("infra/k8s"));
            Files.copy(Kustomize.MODULE.resolve("kind.sh"), repo.resolve("infra/k8s/kind.sh"));
            String stub = """
                    #!/bin/bash
                    echo "$(basename "$0") $*" >> "$STUB_LOG"
                    case "$(basename "$0") $1 $2" in
                      "docker inspect"*) echo true ;;      # the registry runs and is on the kind network
                      "kind get clusters") echo mlops ;;   # the cluster exists
                    esac
                    """ + last + "\n";
            for (Path command : List.of(bin.resolve("docker"), bin.resolve("kind"), bin.resolve("kubectl"),
                    bin.resolve("java"), repo.resolve("mvnw"), repo.resolve("mlops"),
                    repo.resolve("infra/k8s/generate-secrets.sh"))) {
                Files.writeString(command, stub);
                Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
            }
            ProcessBuilder p = new ProcessBuilder("/bin/bash", repo.resolve("infra/k8s/kind.sh").toString(), "up")
                    .redirectErrorStream(true).directory(dir.toFile());
            p.environment().put("PATH", bin + ":/usr/bin:/bin");
            p.environment().put("STUB_LOG", log.toString());
            p.environment().remove("MLOPS_KIND_CLUSTER");
            Process process = p.start();
            String output = new String(process.getInputStream().readAllBytes());
            int exitCode = process.waitFor();
            List<String> commands = Files.exists(log) ? Files.readAllLines(log) : List.of();
            return new KindUp(exitCode, output, commands, repo.resolve("infra/k8s/overlays/kind"));
        }
    }

    /** An empty folder under target/, or a copy of the scripts' folder for generate-secrets.sh. */
    private static Path scratch(String name) throws IOException {
        Path dir = Kustomize.MODULE.resolve("target/scratch").resolve(name);
        Folders.deleteRecursively(dir);
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
