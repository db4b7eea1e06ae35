package dev.mlops.k8s;

import dev.mlops.images.Folders;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.fail;

/**
 * Renders the kustomizations with {@code kubectl kustomize}, from a copy of the folders they read under
 * {@code target/}, with credentials that {@code generate-secrets.sh} makes up there: the real ones (if any) are never
 * read, and nothing is written to the source tree.
 */
final class Kustomize {

    static final Path REPO = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().resolve("../..").normalize();
    static final Path MODULE = REPO.resolve("infra/k8s");
    static final String BASE = "infra/k8s/base";
    static final String KIND = "infra/k8s/overlays/kind";

    /** Every folder a kustomization under infra/k8s reads, relative to the repository. */
    private static final List<String> INPUTS = List.of("infra/k8s/base", "infra/k8s/overlays",
            "infra/k8s/generate-secrets.sh", "infra/prometheus", "infra/grafana", "data");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();
    private static Path copy;

    private Kustomize() {
    }

    static Manifests render(String kustomization) {
        return RENDERED.computeIfAbsent(kustomization, k -> {
            Path tree = tree();
            String yaml = run(tree, "kubectl", "kustomize", tree.resolve(k).toString());
            List<HasMetadata> objects = SERIALIZATION.unmarshal(yaml);
            return new Manifests(k, objects, readCredentials(tree));
        });
    }

    /** The copy's folder, for tests that need its files. */
    static synchronized Path tree() {
        if (copy == null) {
            Path target = MODULE.resolve("target/kustomize-tree");
            try {
                Folders.deleteRecursively(target);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            for (String input : INPUTS) {
                copyRecursively(REPO.resolve(input), target.resolve(input));
            }
            run(target, "bash", target.resolve("infra/k8s/generate-secrets.sh").toString());
            copy = target;
        }
        return copy;
    }

    /** The generated credentials: secret name (env file name) to its KEY=value pairs. */
    private static Map<String, Map<String, String>> readCredentials(Path tree) {
        Map<String, Map<String, String>> credentials = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(tree.resolve(BASE).resolve("secrets"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".env")).sorted().toList()) {
                Map<String, String> values = new LinkedHashMap<>();
                for (String line : Files.readAllLines(file)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) {
                        values.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                }
                credentials.put(file.getFileName().toString().replace(".env", ""), values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return credentials;
    }

    /** Runs a command in {@code dir} and returns its standard output; fails the test with its errors otherwise. */
    static String run(Path dir, String... command) {
        if (command[0].equals("kubectl") && !onPath("kubectl")) {
            fail("kubectl is not installed: the manifest checks render the kustomizations with `kubectl kustomize`."
                    + " Install Debian's kubernetes-client package (apt-get install kubernetes-client).");
        }
        try {
            Path err = Files.createTempFile("k8s-test", ".err");
            Process process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectError(err.toFile()).start();
            process.getOutputStream().close();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 120 s");
            }
            String errors = Files.readString(err);
            Files.delete(err);
            if (process.exitValue() != 0) {
                fail(String.join(" ", command) + " exited with " + process.exitValue() + ":\n" + errors + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static boolean onPath(String executable) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, executable)));
    }

    private static void copyRecursively(Path from, Path to) {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path path : paths.toList()) {
                Path relative = from.relativize(path);
                // never the real credentials, never build output
                if (relative.toString().startsWith("target") || (path.getParent() != null
                        && path.getParent().endsWith("secrets") && path.toString().endsWith(".env"))) {
                    continue;
                }
                Path dest = to.resolve(relative.toString());
                if (Files.isDirectory(path)) {
                    Files.createDirectories(dest);
                } else {
                    Files.createDirectories(dest.getParent());
                    Files.copy(path, dest, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
