package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Credentials are generated, reach pods only through Secrets, and none is committed. */
class SecretsTest {

    /** Names that announce a credential. */
    private static final Pattern CREDENTIAL_NAME = Pattern.compile("(?i).*(PASSWORD|SECRET|_KEY|TOKEN|CREDENTIAL).*");

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void theSecretsHoldTheGeneratedCredentials(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        assertThat(m.credentials()).as("credentials generate-secrets.sh wrote").isNotEmpty();
        m.credentials().forEach((name, values) -> {
            Secret secret = m.generated(Secret.class, "mlops", name);
            assertThat(Manifests.decoded(secret)).as("Secret %s", name).isEqualTo(values);
            values.forEach((key, value) -> assertThat(value).as("generated %s of %s", key, name)
                    .hasSizeGreaterThanOrEqualTo(12).matches("[A-Za-z0-9-]+"));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void noSecretValueAppearsInAConfigMapOrAnEnvLiteral(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        List<String> values = m.all(Secret.class).stream()
                .flatMap(s -> Manifests.decoded(s).values().stream()).toList();
        assertThat(values).isNotEmpty();
        List<String> leaks = new ArrayList<>();
        for (ConfigMap cm : m.all(ConfigMap.class)) {
            Optional.ofNullable(cm.getData()).orElse(Map.of()).forEach((key, text) -> {
                values.stream().filter(text::contains).forEach(v -> leaks.add("ConfigMap " + cm.getMetadata().getName()
                        + " key " + key + " holds a Secret value"));
                if (CREDENTIAL_NAME.matcher(key).matches()) {
                    leaks.add("ConfigMap " + cm.getMetadata().getName() + " has a credential-like key " + key);
                }
            });
        }
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                for (EnvVar env : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                    if (env.getValue() == null) {
                        continue;
                    }
                    if (values.stream().anyMatch(env.getValue()::contains)) {
                        leaks.add(w + " container " + c.getName() + ": env " + env.getName() + " holds a Secret value");
                    }
                    if (CREDENTIAL_NAME.matcher(env.getName()).matches()) {
                        leaks.add(w + " container " + c.getName() + ": env " + env.getName()
                                + " is a literal; take it from a Secret");
                    }
                }
                Optional.ofNullable(c.getArgs()).orElse(List.of()).forEach(arg -> values.stream().filter(arg::contains)
                        .forEach(v -> leaks.add(w + " container " + c.getName() + ": an argument holds a Secret value")));
            }
        }
        assertThat(leaks).as("%s", m).isEmpty();
    }

    /** Every pod gets only the Secrets it uses: no pod other than these reads a database or MinIO root credential. */
    @Test
    void eachSecretReachesOnlyThePodsThatNeedIt() {
        Manifests m = Kustomize.render(Kustomize.BASE);
        Map<String, List<String>> readers = new HashMap<>();
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                Stream.concat(
                        Optional.ofNullable(c.getEnvFrom()).orElse(List.of()).stream()
                                .filter(f -> f.getSecretRef() != null).map(f -> f.getSecretRef().getName()),
                        Optional.ofNullable(c.getEnv()).orElse(List.of()).stream()
                                .filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
                                .map(e -> e.getValueFrom().getSecretKeyRef().getName()))
                        .map(name -> name.replaceFirst("-[a-z0-9]{10}$", ""))
                        .forEach(name -> readers.computeIfAbsent(name, k -> new ArrayList<>()).add(w.name()));
            }
        }
        assertThat(readers.get("postgres-superuser")).containsExactly("postgres");
        assertThat(readers.get("tracking-db")).containsExactlyInAnyOrder("postgres", "tracking-svc");
        assertThat(readers.get("minio-root")).containsExactlyInAnyOrder("minio", "minio-setup");
        assertThat(readers.get("grafana-admin")).containsExactly("grafana");
        assertThat(readers.get("tracking-api-token"))
                .containsExactlyInAnyOrder("tracking-svc", "train-svc", "deploy-svc");
    }

    /** The kustomizations only read credential files git ignores, and no committed manifest carries Secret data. */
    @Test
    void noCredentialIsCommitted() throws IOException {
        for (String kustomization : List.of(Kustomize.BASE, Kustomize.KIND)) {
            Map<String, Object> k = yaml(Kustomize.REPO.resolve(kustomization).resolve("kustomization.yaml"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> generators = (List<Map<String, Object>>) k.getOrDefault("secretGenerator", List.of());
            for (Map<String, Object> generator : generators) {
                assertThat(generator).as("%s secretGenerator %s", kustomization, generator.get("name"))
                        .doesNotContainKey("literals");
                @SuppressWarnings("unchecked")
                List<String> files = (List<String>) generator.getOrDefault("envs", List.of());
                assertThat(files).as("%s secretGenerator %s reads env files", kustomization, generator.get("name"))
                        .isNotEmpty();
                for (String file : files) {
                    assertThat(gitIgnores(Kustomize.REPO.resolve(kustomization).resolve(file)))
                            .as("%s: git ignores %s", kustomization, file).isTrue();
                }
            }
        }
        try (Stream<Path> files = Files.walk(Kustomize.MODULE)) {
            for (Path file : files.filter(f -> f.toString().matches(".*\\.ya?ml$"))
                    .filter(f -> !Kustomize.MODULE.relativize(f).startsWith("target")).toList()) {
                String text = Files.readString(file);
                assertThat(text).as("%s declares a Secret", file).doesNotContainPattern("(?m)^kind:\\s*Secret\\s*$");
            }
        }
    }

    private static boolean gitIgnores(Path file) {
        if (!Kustomize.onPath("git") || !Files.isDirectory(Kustomize.REPO.resolve(".git"))) {
            // outside a git checkout: the .gitignore rule itself
            try {
                return Files.readString(Kustomize.MODULE.resolve(".gitignore")).contains("/base/secrets/*.env");
            } catch (IOException e) {
                return false;
            }
        }
        try {
            Process p = new ProcessBuilder("git", "check-ignore", "-q", file.toString())
                    .directory(Kustomize.REPO.toFile()).start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(Path file) throws IOException {
        return new KubernetesSerialization().unmarshal(Files.readString(file), Map.class);
    }
}
