package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Workloads and Services as a reviewer reads them, in the base and in the kind overlay. */
class WorkloadsTest {

    /** The kustomization and the registry prefix its images of our modules carry. */
    static Stream<Arguments> renders() {
        return Stream.of(Arguments.of(Kustomize.BASE, ""), Arguments.of(Kustomize.KIND, "localhost:5001/"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyServiceRunsAsADeploymentWithAServiceFromItsModuleImage(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        for (String module : ImageModules.names()) {
            String image = registry + ImageModules.GROUP + "/" + module + ":latest";
            List<Workload> running = m.workloads().stream().filter(w -> w.kind().equals("Deployment"))
                    .filter(w -> w.containers().stream().anyMatch(c -> image.equals(c.getImage()))).toList();
            assertThat(running).as("%s: a Deployment running %s", m, image).hasSize(1);
            Workload w = running.get(0);
            assertThat(m.all(Service.class)).as("%s: a Service selecting the pods of %s", m, w)
                    .anyMatch(s -> s.getMetadata().getNamespace().equals(w.namespace()) && selects(s, w));
        }
    }

    /**
     * The image a Deployment runs is the one infra/images builds from its module, listening where the pod expects
     * (infra/images exposes the module's quarkus.http.port), and that is the only way the module builds an image.
     */
    @org.junit.jupiter.api.Test
    void eachModuleImageListensOnThePortItsDeploymentOpens() throws java.io.IOException {
        Manifests m = Kustomize.render(Kustomize.BASE);
        for (String module : ImageModules.names()) {
            java.nio.file.Path dir = Kustomize.REPO.resolve(module);
            assertThat(java.nio.file.Files.readString(dir.resolve("pom.xml")))
                    .as("%s: its image comes from infra/images alone, not also from Quarkus' container-image extension",
                            module).doesNotContain("quarkus-container-image");
            java.util.Properties props = new java.util.Properties();
            try (var in = java.nio.file.Files.newBufferedReader(dir.resolve("src/main/resources/application.properties"))) {
                props.load(in);
            }
            String image = ImageModules.GROUP + "/" + module + ":latest";
            Container c = m.workloads().stream().flatMap(w -> w.containers().stream())
                    .filter(x -> image.equals(x.getImage())).findFirst()
                    .orElseThrow(() -> new AssertionError("no Deployment runs " + image));
            assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).as("%s container port", module)
                    .containsExactly(Integer.valueOf(props.getProperty("quarkus.http.port")));
        }
    }

    /** Images of ours are checked against infra/images by ManifestImagesTest; everything else is a pinned release. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void thirdPartyImagesArePinnedToARelease(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                if (ImageModules.parse(c.getImage()).isEmpty()) {
                    assertThat(c.getImage()).as("%s container %s: third-party images are pinned to a release", w,
                            c.getName()).matches(".+:[^:/]+$").doesNotEndWith(":latest");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyContainerHasResourcesAndLongRunningOnesHaveProbes(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        assertThat(m.workloads()).isNotEmpty();
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                String what = w + " container " + c.getName();
                ResourceRequirements r = c.getResources();
                assertThat(r).as("%s: resources", what).isNotNull();
                assertThat(Optional.ofNullable(r.getRequests()).orElse(Map.of()))
                        .as("%s: resource requests", what).containsKeys("cpu", "memory");
                assertThat(Optional.ofNullable(r.getLimits()).orElse(Map.of()))
                        .as("%s: resource limits", what).containsKeys("cpu", "memory");
                if (w.longRunning()) {
                    assertThat(c.getLivenessProbe()).as("%s: liveness probe", what).isNotNull();
                    assertThat(c.getReadinessProbe()).as("%s: readiness probe", what).isNotNull();
                }
            }
        }
    }

    /** What {@code ./mlops up} gives train-svc (-Xmx1536m), which a 1,000,000-row grid search needs. */
    @org.junit.jupiter.api.Test
    void trainSvcsMemoryLimitLeavesItsHeapRoomForAMillionRowSearch() {
        Manifests m = Kustomize.render(Kustomize.BASE);
        Container train = m.get(Deployment.class, "mlops", "train-svc").getSpec().getTemplate().getSpec()
                .getContainers().get(0);
        String javaOptions = m.generated(ConfigMap.class, "mlops", "platform-config").getData().get("JAVA_TOOL_OPTIONS");
        java.util.regex.Matcher percentage = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)")
                .matcher(javaOptions);
        assertThat(percentage.find()).as("a MaxRAMPercentage in %s", javaOptions).isTrue();
        double limitBytes = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                train.getResources().getLimits().get("memory")).doubleValue();

        double heapMiB = limitBytes * Integer.parseInt(percentage.group(1)) / 100 / (1024 * 1024);

        assertThat(heapMiB).as("train-svc's maximum heap in MiB").isGreaterThanOrEqualTo(1536);
    }

    /** Quarkus services: SmallRye Health probes and the scrape annotations Prometheus' pod discovery keeps. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void ourServicesProbeQuarkusHealthAndAskToBeScraped(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        List<String> checked = new ArrayList<>();
        for (Workload w : m.workloads()) {
            for (Container c : w.containers()) {
                if (!c.getImage().startsWith(registry + ImageModules.GROUP + "/")) {
                    continue;
                }
                String what = w + " container " + c.getName();
                assertThat(healthPath(c, c.getLivenessProbe())).as("%s: liveness", what).isEqualTo("/q/health/live");
                assertThat(healthPath(c, c.getReadinessProbe())).as("%s: readiness", what).isEqualTo("/q/health/ready");
                int port = c.getPorts().get(0).getContainerPort();
                assertThat(w.podAnnotations()).as("%s: Prometheus scrape annotations", w)
                        .containsEntry("prometheus.io/scrape", "true")
                        .containsEntry("prometheus.io/port", Integer.toString(port))
                        .containsEntry("prometheus.io/path", "/q/metrics");
                checked.add(c.getName());
            }
        }
        assertThat(checked).as("%s: containers running our images", m).hasSameSizeAs(ImageModules.names());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyServiceSelectsPodsThatExistOnAPortTheyOpen(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        for (Service s : m.all(Service.class)) {
            String what = "Service " + s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
            assertThat(s.getSpec().getSelector()).as("%s: selector", what).isNotEmpty();
            List<Workload> selected = m.workloads().stream().filter(Workload::longRunning)
                    .filter(w -> w.namespace().equals(s.getMetadata().getNamespace()) && selects(s, w)).toList();
            assertThat(selected).as("%s: selects the pods of a Deployment or StatefulSet in its namespace", what)
                    .hasSize(1);
            for (ServicePort port : s.getSpec().getPorts()) {
                assertThat(opens(selected.get(0), port.getTargetPort() == null
                        ? new IntOrString(port.getPort()) : port.getTargetPort()))
                        .as("%s: target port %s is a port of %s", what, port.getTargetPort(), selected.get(0))
                        .isTrue();
            }
        }
    }

    /** Kafka, PostgreSQL and MinIO keep their data on PersistentVolumeClaims, nothing on emptyDir or the node. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void statefulServersKeepTheirDataOnPersistentVolumeClaims(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        for (String name : List.of("kafka", "postgres", "minio")) {
            Workload w = m.workload("mlops", name);
            assertThat(w.kind()).as("%s", name).isEqualTo("StatefulSet");
            assertThat(w.claimTemplates()).as("%s: volumeClaimTemplates", w).isNotEmpty();
            List<String> claims = w.claimTemplates().stream().map(p -> p.getMetadata().getName()).toList();
            assertThat(w.template().getSpec().getContainers().get(0).getVolumeMounts())
                    .as("%s: mounts a claim", w).anyMatch(mount -> claims.contains(mount.getName()));
            for (Volume v : Optional.ofNullable(w.template().getSpec().getVolumes()).orElse(List.of())) {
                assertThat(v.getEmptyDir()).as("%s volume %s: emptyDir", w, v.getName()).isNull();
                assertThat(v.getHostPath()).as("%s volume %s: hostPath", w, v.getName()).isNull();
            }
            w.claimTemplates().forEach(p -> assertThat(p.getSpec().getResources().getRequests())
                    .as("%s claim %s: storage request", w, p.getMetadata().getName()).containsKey("storage"));
        }
    }

    /** kubectl's client-side apply keeps a copy of each object in an annotation, which is limited to 256 KiB. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyObjectFitsKubectlApply(String kustomization, String registry) {
        Manifests m = Kustomize.render(kustomization);
        var serialization = new io.fabric8.kubernetes.client.utils.KubernetesSerialization();
        m.objects().forEach(o -> assertThat(serialization.asJson(o).length())
                .as("%s %s size", o.getKind(), o.getMetadata().getName()).isLessThan(256 * 1024 - 4096));
    }

    @org.junit.jupiter.api.Test
    void theServingDeploymentStartsEmptyUntilDeploySvcRollsAModelOut() {
        Deployment serving = Kustomize.render(Kustomize.BASE).get(Deployment.class, "mlmodel", "mlflow-model-deployment");
        assertThat(serving.getSpec().getReplicas())
                .as("the model-server base image holds no model and would not start: 0 replicas until a deploy")
                .isZero();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void trainSvcRunsReplicasThatEachCanHoldAPartitionOfTheWorkTopic(String kustomization, String registry) {
        Manifests manifests = Kustomize.render(kustomization);
        int replicas = manifests.get(Deployment.class, "mlops", "train-svc").getSpec().getReplicas();
        int partitions = Integer.parseInt(manifests.generated(ConfigMap.class, "mlops",
                "kafka-config").getData().get("KAFKA_NUM_PARTITIONS"));
        assertThat(replicas).as("train-svc replicas: grid searches are shared out from 2").isGreaterThanOrEqualTo(2);
        assertThat(replicas).as("train-svc replicas past the partitions of mlops.train.work would get no units")
                .isLessThanOrEqualTo(partitions);
    }

    static boolean selects(Service s, Workload w) {
        Map<String, String> selector = Optional.ofNullable(s.getSpec().getSelector()).orElse(Map.of());
        return !selector.isEmpty() && w.podLabels().entrySet().containsAll(selector.entrySet());
    }

    static boolean opens(Workload w, IntOrString port) {
        return w.template().getSpec().getContainers().stream()
                .flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.<ContainerPort>of()).stream())
                .anyMatch(p -> port.getStrVal() != null ? port.getStrVal().equals(p.getName())
                        : port.getIntVal().equals(p.getContainerPort()));
    }

    /** The path of an HTTP probe, after checking its port is one the container opens. */
    private static String healthPath(Container c, Probe probe) {
        if (probe == null || probe.getHttpGet() == null) {
            return null;
        }
        HTTPGetAction get = probe.getHttpGet();
        boolean portOpen = c.getPorts().stream().anyMatch(p -> get.getPort().getStrVal() != null
                ? get.getPort().getStrVal().equals(p.getName()) : get.getPort().getIntVal().equals(p.getContainerPort()));
        return portOpen ? get.getPath() : "port " + get.getPort() + " not opened by the container";
    }
}
