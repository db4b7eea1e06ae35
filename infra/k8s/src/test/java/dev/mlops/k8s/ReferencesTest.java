package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Everything a pod refers to by name is in kustomize's output, in the pod's namespace. */
class ReferencesTest {

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void everyNamespacedObjectIsInANamespaceTheOutputCreates(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Set<String> namespaces = m.all(Namespace.class).stream().map(n -> n.getMetadata().getName())
                .collect(Collectors.toSet());
        assertThat(namespaces).contains("mlops", "mlmodel");
        for (HasMetadata o : m.objects()) {
            if (o instanceof Namespace || o instanceof ClusterRole || o instanceof ClusterRoleBinding) {
                continue;
            }
            assertThat(o.getMetadata().getNamespace()).as("%s %s: namespace", o.getKind(), o.getMetadata().getName())
                    .isIn(namespaces);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void everyConfigMapSecretClaimAndServiceAccountAPodNamesExists(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        List<String> missing = new ArrayList<>();
        for (Workload w : m.workloads()) {
            String ns = w.namespace();
            PodSpec pod = w.template().getSpec();
            String sa = pod.getServiceAccountName();
            if (sa != null && !sa.equals("default") && m.find(ServiceAccount.class, ns, sa).isEmpty()) {
                missing.add(w + ": ServiceAccount " + sa);
            }
            Set<String> volumes = new java.util.HashSet<>();
            w.claimTemplates().forEach(c -> volumes.add(c.getMetadata().getName()));
            for (Volume v : Optional.ofNullable(pod.getVolumes()).orElse(List.of())) {
                volumes.add(v.getName());
                if (v.getConfigMap() != null && !Boolean.TRUE.equals(v.getConfigMap().getOptional())) {
                    requireConfigMap(m, w, v.getConfigMap().getName(), null, missing);
                }
                if (v.getSecret() != null && !Boolean.TRUE.equals(v.getSecret().getOptional())) {
                    requireSecret(m, w, v.getSecret().getSecretName(), null, missing);
                }
                if (v.getPersistentVolumeClaim() != null
                        && m.find(PersistentVolumeClaim.class, ns, v.getPersistentVolumeClaim().getClaimName()).isEmpty()) {
                    missing.add(w + ": PersistentVolumeClaim " + v.getPersistentVolumeClaim().getClaimName());
                }
            }
            for (Container c : w.containers()) {
                for (VolumeMount mount : Optional.ofNullable(c.getVolumeMounts()).orElse(List.of())) {
                    if (!volumes.contains(mount.getName())) {
                        missing.add(w + " container " + c.getName() + ": volume " + mount.getName());
                    }
                }
                for (EnvFromSource from : Optional.ofNullable(c.getEnvFrom()).orElse(List.of())) {
                    if (from.getConfigMapRef() != null && !Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                        requireConfigMap(m, w, from.getConfigMapRef().getName(), null, missing);
                    }
                    if (from.getSecretRef() != null && !Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                        requireSecret(m, w, from.getSecretRef().getName(), null, missing);
                    }
                }
                for (EnvVar env : Optional.ofNullable(c.getEnv()).orElse(List.of())) {
                    if (env.getValueFrom() == null) {
                        continue;
                    }
                    var cm = env.getValueFrom().getConfigMapKeyRef();
                    if (cm != null && !Boolean.TRUE.equals(cm.getOptional())) {
                        requireConfigMap(m, w, cm.getName(), cm.getKey(), missing);
                    }
                    var secret = env.getValueFrom().getSecretKeyRef();
                    if (secret != null && !Boolean.TRUE.equals(secret.getOptional())) {
                        requireSecret(m, w, secret.getName(), secret.getKey(), missing);
                    }
                }
            }
        }
        assertThat(missing).as("%s: references to objects kustomize did not render", m).isEmpty();
    }

    private static void requireConfigMap(Manifests m, Workload w, String name, String key, List<String> missing) {
        Optional<Map<String, String>> data = m.find(ConfigMap.class, w.namespace(), name)
                .map(cm -> Optional.ofNullable(cm.getData()).orElse(Map.of()));
        if (data.isEmpty()) {
            missing.add(w + ": ConfigMap " + name);
        } else if (key != null && !data.get().containsKey(key)) {
            missing.add(w + ": key " + key + " of ConfigMap " + name);
        }
    }

    private static void requireSecret(Manifests m, Workload w, String name, String key, List<String> missing) {
        Optional<Secret> secret = m.find(Secret.class, w.namespace(), name);
        if (secret.isEmpty()) {
            missing.add(w + ": Secret " + name);
        } else if (key != null && !Manifests.decoded(secret.get()).containsKey(key)) {
            missing.add(w + ": key " + key + " of Secret " + name);
        }
    }
}
