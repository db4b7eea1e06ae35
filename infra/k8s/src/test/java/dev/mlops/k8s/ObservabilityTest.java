package dev.mlops.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus finds and may read what it scrapes; Grafana gets infra/grafana's datasource and every dashboard. */
class ObservabilityTest {

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)}?");

    private final Manifests m = Kustomize.render(Kustomize.KIND);
    private final Workload grafana = m.workload("mlops", "grafana");
    private final Container grafanaContainer = grafana.template().getSpec().getContainers().get(0);

    @Test
    void grafanaGetsEveryDashboardOfInfraGrafana() throws IOException {
        Map<String, String> packaged = m.generated(ConfigMap.class, "mlops", "grafana-dashboards").getData();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(Kustomize.REPO.resolve("infra/grafana/dashboards"))) {
            dashboards = files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).isNotEmpty();
        for (Path dashboard : dashboards) {
            String name = dashboard.getFileName().toString();
            assertThat(packaged).as("grafana-dashboards ConfigMap: list %s in infra/grafana/kustomization.yaml", name)
                    .containsKey(name);
            assertThat(packaged.get(name)).as(name).isEqualTo(Files.readString(dashboard));
        }
    }

    @Test
    void theDashboardProviderReadsTheFolderTheDashboardsAreMountedIn() {
        String dashboardsDir = mountPath("grafana-dashboards");
        assertThat(mountPath("grafana-dashboard-providers")).isEqualTo("/etc/grafana/provisioning/dashboards");
        List<String> paths = new ArrayList<>();
        for (Map<String, Object> file : provisioningFiles("grafana-dashboard-providers")) {
            for (Map<String, Object> provider : list(file.get("providers"))) {
                @SuppressWarnings("unchecked")
                Map<String, Object> options = (Map<String, Object>) provider.get("options");
                paths.add(expand(String.valueOf(options.get("path"))));
            }
        }
        assertThat(paths).as("dashboard provider paths, with Grafana's environment").containsOnly(dashboardsDir);
    }

    @Test
    void theDatasourceIsThePrometheusServiceAndCoversEveryUidTheDashboardsUse() throws IOException {
        assertThat(mountPath("grafana-datasources")).isEqualTo("/etc/grafana/provisioning/datasources");
        Set<String> uids = new TreeSet<>();
        for (Map<String, Object> file : provisioningFiles("grafana-datasources")) {
            for (Map<String, Object> source : list(file.get("datasources"))) {
                uids.add(String.valueOf(source.get("uid")));
                URI url = URI.create(expand(String.valueOf(source.get("url"))));
                String[] host = url.getHost().split("\\.");
                assertThat(host).as("%s: <service>.<namespace>.svc", url).hasSizeGreaterThanOrEqualTo(3);
                Service service = m.get(Service.class, host[1], host[0]);
                assertThat(WorkloadsTest.selects(service, m.workload("mlops", "prometheus")))
                        .as("%s selects Prometheus", url).isTrue();
                assertThat(service.getSpec().getPorts()).anyMatch(p -> p.getPort() == url.getPort());
            }
        }
        Set<String> used = new TreeSet<>();
        for (String json : m.generated(ConfigMap.class, "mlops", "grafana-dashboards").getData().values()) {
            collectDatasourceUids(new ObjectMapper().readTree(json), used);
        }
        assertThat(uids).as("provisioned datasource uids").containsAll(used);
    }

    @Test
    void prometheusReadsItsMountedConfigAndMayDiscoverEveryPodItScrapes() {
        Workload prometheus = m.workload("mlops", "prometheus");
        Container container = prometheus.template().getSpec().getContainers().get(0);
        String configFile = container.getArgs().stream().filter(a -> a.startsWith("--config.file="))
                .map(a -> a.substring("--config.file=".length())).findFirst().orElseThrow();
        Path file = Path.of(configFile);
        assertThat(mountPath(prometheus, container, "prometheus-config")).isEqualTo(file.getParent().toString());
        String config = m.generated(ConfigMap.class, "mlops", "prometheus-config").getData()
                .get(file.getFileName().toString());
        assertThat(config).as("prometheus-config holds %s", file.getFileName()).isNotNull();

        Set<String> discovered = new TreeSet<>();
        Map<String, Object> parsed = YAML.unmarshal(config, Map.class);
        for (Map<String, Object> job : list(parsed.get("scrape_configs"))) {
            for (Map<String, Object> sd : list(job.get("kubernetes_sd_configs"))) {
                String resource = switch (String.valueOf(sd.get("role"))) {
                    case "pod" -> "pods";
                    case "service" -> "services";
                    case "endpoints" -> "endpoints";
                    case "endpointslice" -> "endpointslices";
                    default -> throw new AssertionError("unexpected kubernetes_sd role " + sd.get("role"));
                };
                @SuppressWarnings("unchecked")
                Map<String, Object> namespaces = (Map<String, Object>) sd.get("namespaces");
                assertThat(namespaces).as("job %s: kubernetes_sd namespaces (else it needs cluster-wide rights)",
                        job.get("job_name")).isNotNull();
                for (Object ns : (List<?>) namespaces.get("names")) {
                    assertThat(mayListAndWatch(prometheus.template().getSpec().getServiceAccountName(),
                            ns.toString(), resource)).as("Prometheus may list and watch %s in %s", resource, ns).isTrue();
                    discovered.add(ns.toString());
                }
            }
        }
        m.workloads().stream().filter(w -> "true".equals(w.podAnnotations().get("prometheus.io/scrape")))
                .forEach(w -> assertThat(discovered).as("%s asks to be scraped: its namespace is discovered", w)
                        .contains(w.namespace()));
    }

    private boolean mayListAndWatch(String account, String namespace, String resource) {
        List<PolicyRule> rules = new ArrayList<>();
        for (RoleBinding rb : m.all(RoleBinding.class)) {
            if (rb.getMetadata().getNamespace().equals(namespace) && rb.getSubjects().stream().anyMatch(s ->
                    s.getName().equals(account) && "mlops".equals(s.getNamespace()))) {
                m.find(Role.class, namespace, rb.getRoleRef().getName()).ifPresent(r -> rules.addAll(r.getRules()));
            }
        }
        for (ClusterRoleBinding crb : m.all(ClusterRoleBinding.class)) {
            if (crb.getSubjects().stream().anyMatch(s -> s.getName().equals(account) && "mlops".equals(s.getNamespace()))) {
                m.find(ClusterRole.class, null, crb.getRoleRef().getName()).ifPresent(r -> rules.addAll(r.getRules()));
            }
        }
        return rules.stream().anyMatch(r -> r.getResources().contains(resource)
                && r.getVerbs().containsAll(List.of("list", "watch")));
    }

    private List<Map<String, Object>> provisioningFiles(String configMap) {
        Map<String, String> data = m.generated(ConfigMap.class, "mlops", configMap).getData();
        assertThat(data).as(configMap).isNotEmpty();
        List<Map<String, Object>> files = new ArrayList<>();
        data.values().forEach(text -> files.add(YAML.unmarshal(text, Map.class)));
        return files;
    }

    /** Grafana expands $VAR and ${VAR} in provisioning files from its environment. */
    private String expand(String value) {
        Map<String, String> env = m.plainEnvironment(grafana.namespace(), grafanaContainer);
        Matcher matcher = ENV_REFERENCE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String name = matcher.group(1);
            assertThat(env).as("Grafana's environment sets %s (used in %s)", name, value).containsKey(name);
            matcher.appendReplacement(out, Matcher.quoteReplacement(env.get(name)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private String mountPath(String configMap) {
        return mountPath(grafana, grafanaContainer, configMap);
    }

    private String mountPath(Workload w, Container c, String configMap) {
        String generated = m.generated(ConfigMap.class, w.namespace(), configMap).getMetadata().getName();
        Volume volume = w.template().getSpec().getVolumes().stream()
                .filter(v -> v.getConfigMap() != null && generated.equals(v.getConfigMap().getName())).findFirst()
                .orElseThrow(() -> new AssertionError(w + " has no volume of ConfigMap " + configMap));
        return c.getVolumeMounts().stream().filter(mount -> mount.getName().equals(volume.getName()))
                .map(VolumeMount::getMountPath).findFirst()
                .orElseThrow(() -> new AssertionError(w + " does not mount ConfigMap " + configMap));
    }

    /** Every {"datasource": {"uid": ...}} of a dashboard, template variables left out. */
    private static void collectDatasourceUids(JsonNode node, Set<String> uids) {
        if (node.isObject()) {
            JsonNode datasource = node.get("datasource");
            if (datasource != null && datasource.has("uid")) {
                String uid = datasource.get("uid").asText();
                if (!uid.startsWith("$") && !uid.startsWith("-- ")) {
                    uids.add(uid);
                }
            }
            node.elements().forEachRemaining(child -> collectDatasourceUids(child, uids));
        } else if (node.isArray()) {
            node.elements().forEachRemaining(child -> collectDatasourceUids(child, uids));
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return Optional.ofNullable((List<Map<String, Object>>) value).orElse(List.of());
    }
}
