package dev.mlops.k8s;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** What {@code kubectl kustomize} rendered, with the look-ups the checks share. */
record Manifests(String kustomization, List<HasMetadata> objects, Map<String, Map<String, String>> credentials) {

    /** A Deployment, StatefulSet or Job: what runs pods. */
    record Workload(String kind, String namespace, String name, PodTemplateSpec template,
                    List<PersistentVolumeClaim> claimTemplates) {

        List<Container> containers() {
            return Stream.concat(template.getSpec().getContainers().stream(),
                    Optional.ofNullable(template.getSpec().getInitContainers()).orElse(List.of()).stream()).toList();
        }

        boolean longRunning() {
            return !kind.equals("Job");
        }

        Map<String, String> podLabels() {
            return Optional.ofNullable(template.getMetadata().getLabels()).orElse(Map.of());
        }

        Map<String, String> podAnnotations() {
            return Optional.ofNullable(template.getMetadata().getAnnotations()).orElse(Map.of());
        }

        @Override
        public String toString() {
            return kind + " " + namespace + "/" + name;
        }
    }

    <T extends HasMetadata> List<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends HasMetadata> Optional<T> find(Class<T> type, String namespace, String name) {
        return all(type).stream()
                .filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace))
                .filter(o -> o.getMetadata().getName().equals(name))
                .findFirst();
    }

    <T extends HasMetadata> T get(Class<T> type, String namespace, String name) {
        return find(type, namespace, name).orElseThrow(() -> new AssertionError(kustomization + " renders no "
                + type.getSimpleName() + " " + namespace + "/" + name));
    }

    /** The generated object whose name, before kustomize's hash suffix, is {@code name}. */
    <T extends HasMetadata> T generated(Class<T> type, String namespace, String name) {
        List<T> matches = all(type).stream()
                .filter(o -> Objects.equals(o.getMetadata().getNamespace(), namespace))
                .filter(o -> o.getMetadata().getName().matches(java.util.regex.Pattern.quote(name) + "-[a-z0-9]{10}"))
                .toList();
        if (matches.size() != 1) {
            throw new AssertionError(kustomization + " renders " + matches.size() + " " + type.getSimpleName()
                    + " named " + namespace + "/" + name + "-<hash>, expected one");
        }
        return matches.get(0);
    }

    List<Workload> workloads() {
        List<Workload> workloads = new ArrayList<>();
        for (Deployment d : all(Deployment.class)) {
            workloads.add(new Workload("Deployment", d.getMetadata().getNamespace(), d.getMetadata().getName(),
                    d.getSpec().getTemplate(), List.of()));
        }
        for (StatefulSet s : all(StatefulSet.class)) {
            workloads.add(new Workload("StatefulSet", s.getMetadata().getNamespace(), s.getMetadata().getName(),
                    s.getSpec().getTemplate(),
                    Optional.ofNullable(s.getSpec().getVolumeClaimTemplates()).orElse(List.of())));
        }
        for (Job j : all(Job.class)) {
            workloads.add(new Workload("Job", j.getMetadata().getNamespace(), j.getMetadata().getName(),
                    j.getSpec().getTemplate(), List.of()));
        }
        return workloads;
    }

    Workload workload(String namespace, String name) {
        return workloads().stream().filter(w -> w.namespace().equals(namespace) && w.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError(kustomization + " renders no workload " + namespace + "/" + name));
    }

    /** The environment a container sees from literals and envFrom ConfigMaps (Secrets left out). */
    Map<String, String> plainEnvironment(String namespace, Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvFromSource source : Optional.ofNullable(container.getEnvFrom()).orElse(List.of())) {
            if (source.getConfigMapRef() != null) {
                find(ConfigMap.class, namespace, source.getConfigMapRef().getName())
                        .map(ConfigMap::getData).ifPresent(env::putAll);
            }
        }
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (var.getValue() != null) {
                env.put(var.getName(), var.getValue());
            }
        }
        return env;
    }

    static Map<String, String> decoded(Secret secret) {
        Map<String, String> values = new LinkedHashMap<>();
        Optional.ofNullable(secret.getData()).orElse(Map.of()).forEach((k, v) ->
                values.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        Optional.ofNullable(secret.getStringData()).orElse(Map.of()).forEach(values::put);
        return values;
    }

    @Override
    public String toString() {
        return kustomization;
    }
}
