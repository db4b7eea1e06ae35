package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import dev.mlops.k8s.Reachability.Pod;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The NetworkPolicies, evaluated against the pods the rendered Deployments, StatefulSets and Jobs create (their
 * template labels), so a renamed label or port changes who reaches what and fails here. Besides the platform's
 * pods, every check also tries an unlabelled pod in each namespace and, in a foreign namespace, a copy of every
 * platform pod's labels: what someone else could start on the cluster.
 */
class NetworkPoliciesTest {

    private static final String FOREIGN_NAMESPACE = "elsewhere";
    private static final String UNLABELLED = "unlabelled pod";

    private static final Set<String> STAGES = Set.of("ingest-svc", "preprocess-svc", "train-svc", "evaluate-svc",
            "image-svc", "deploy-svc");
    /** Every service of the pipeline consumes or produces events. */
    private static final Set<String> KAFKA_CLIENTS = union(STAGES, Set.of("tracking-svc"));
    /** The stages keep their artifacts in the bucket; minio-setup creates it. */
    private static final Set<String> S3_CLIENTS = union(STAGES, Set.of("minio-setup"));
    private static final Set<String> DATA_SERVERS = Set.of("kafka", "postgres", "minio");

    /**
     * Addresses a pod is configured with but never calls. tracking-svc reads the S3 settings (it checks that
     * artifact URIs name the bucket, and the settings are required at start-up) but never opens the store;
     * postgres shares tracking-db-config for the login and database names its init script creates (over the
     * local socket).
     */
    private static final Map<String, Set<String>> CONFIGURED_BUT_NOT_CALLED = Map.of(
            "tracking-svc", Set.of("MLOPS_S3_ENDPOINT"),
            "postgres", Set.of("QUARKUS_DATASOURCE_JDBC_URL"));

    private static final Pattern CLUSTER_ADDRESS =
            Pattern.compile("\\b([a-z0-9-]+)\\.([a-z0-9-]+)\\.svc(?:\\.cluster\\.local)?(?::(\\d+))?");

    /** A pod configured (env) with the address of a Service, and the pod port that address leads to. */
    private record Call(Workload source, String env, Workload target, ContainerPort port) {
        @Override
        public String toString() {
            return source.name() + " -> " + target.name() + ":" + port.getName() + " (" + env + ")";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void everyNamespaceDeniesIngressUnlessAPolicyAllowsIt(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Reachability reach = new Reachability(m);
        assertThat(m.all(Namespace.class)).isNotEmpty();
        for (Namespace ns : m.all(Namespace.class)) {
            String namespace = ns.getMetadata().getName();
            assertThat(m.all(NetworkPolicy.class)).as("%s: a default-deny ingress policy in %s", m, namespace)
                    .anyMatch(p -> p.getMetadata().getNamespace().equals(namespace) && Reachability.governsIngress(p)
                            && selectsEverything(p.getSpec().getPodSelector())
                            && Reachability.ingressRules(p).isEmpty());
            // a pod someone adds later, with no labels and the commonest port: nobody reaches it
            Pod newcomer = new Pod(namespace, Map.of(), UNLABELLED);
            ContainerPort http = new ContainerPortBuilder().withName("http").withContainerPort(8080).build();
            assertThat(sources(m).filter(s -> reach.allows(s, newcomer, http)).map(Pod::toString).toList())
                    .as("%s: who reaches a new unlabelled pod in %s", m, namespace).isEmpty();
        }
    }

    /** Kafka, PostgreSQL and MinIO: per port, exactly the platform pods that use it, and nobody from elsewhere. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void dataServersAnswerExactlyThePlatformPodsThatUseThem(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Map<String, Map<String, Set<String>>> reaching = new TreeMap<>();
        for (String server : DATA_SERVERS) {
            reaching.put(server, reachingPerPort(m, m.workload("mlops", server)));
        }
        assertThat(reaching).as("%s: data server -> port -> pods that reach it", m).isEqualTo(Map.of(
                "kafka", Map.of("broker", union(KAFKA_CLIENTS, Set.of("kafka")), "controller", Set.of("kafka")),
                "postgres", Map.of("postgres", Set.of("tracking-svc")),
                "minio", Map.of("s3", S3_CLIENTS, "console", Set.of())));
    }

    /** The lists above are the pods whose configuration points at each server: a new client must be added. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void theDataServersClientsAreThePodsConfiguredToCallThem(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Map<String, Set<String>> configured = new TreeMap<>();
        for (Call call : calls(m)) {
            if (DATA_SERVERS.contains(call.target().name()) && !notCalled(call)) {
                configured.computeIfAbsent(call.target().name(), k -> new TreeSet<>()).add(call.source().name());
            }
        }
        assertThat(configured).as("%s: data server -> pods configured with its address", m).isEqualTo(Map.of(
                "kafka", KAFKA_CLIENTS, "postgres", Set.of("tracking-svc"), "minio", S3_CLIENTS));
    }

    /** The policies do not break the platform: every Service address a pod is configured with lets it in. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void everyAddressAPodIsConfiguredWithLetsItIn(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Reachability reach = new Reachability(m);
        List<Call> calls = calls(m);
        assertThat(calls).as("%s: configured calls", m).extracting(Call::toString)
                .contains("train-svc -> tracking-svc:http (MLOPS_TRACKING_URL)",
                        "deploy-svc -> mlflow-model-deployment:http (MLOPS_DEPLOY_KUBERNETES_SERVING_URL)",
                        "grafana -> prometheus:http (MLOPS_PROMETHEUS_URL)",
                        "minio-setup -> minio:s3 (MINIO_URL)");
        List<String> blocked = calls.stream().filter(c -> !notCalled(c))
                .filter(c -> !reach.allows(Pod.of(c.source()), Pod.of(c.target()), c.port()))
                .map(Call::toString).toList();
        assertThat(blocked).as("%s: configured calls the policies block", m).isEmpty();
        CONFIGURED_BUT_NOT_CALLED.forEach((source, envs) -> envs.forEach(env -> assertThat(calls)
                .as("%s: the exception for %s %s is still needed", m, source, env)
                .anyMatch(c -> c.source().name().equals(source) && c.env().equals(env))));
    }

    /** No rule to a data server names another namespace, an address block or every pod of its namespace. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void noPolicyOpensADataServerToOtherNamespacesOrAllPods(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Reachability reach = new Reachability(m);
        List<String> problems = new ArrayList<>();
        for (String server : DATA_SERVERS) {
            for (NetworkPolicy policy : reach.policiesSelecting(Pod.of(m.workload("mlops", server)))) {
                String what = server + " via NetworkPolicy " + policy.getMetadata().getName();
                for (NetworkPolicyIngressRule rule : Reachability.ingressRules(policy)) {
                    if (Reachability.peers(rule).isEmpty()) {
                        problems.add(what + ": a rule without `from` admits every source");
                    }
                    for (NetworkPolicyPeer peer : Reachability.peers(rule)) {
                        if (peer.getNamespaceSelector() != null) {
                            problems.add(what + ": namespaceSelector " + peer.getNamespaceSelector());
                        }
                        if (peer.getIpBlock() != null) {
                            problems.add(what + ": ipBlock " + peer.getIpBlock().getCidr());
                        }
                        if (peer.getPodSelector() == null || selectsEverything(peer.getPodSelector())) {
                            problems.add(what + ": a peer selecting every pod");
                        }
                    }
                }
            }
        }
        assertThat(problems).as("%s", m).isEmpty();
    }

    /** No dead policy: each selects pods, each peer selector matches a pod, each port is one the pods open. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void everyPolicySelectorAndPortMatchesARenderedPod(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Reachability reach = new Reachability(m);
        assertThat(m.all(NetworkPolicy.class)).as("%s: NetworkPolicies", m).isNotEmpty();
        List<String> dead = new ArrayList<>();
        for (NetworkPolicy policy : m.all(NetworkPolicy.class)) {
            String name = policy.getMetadata().getNamespace() + "/" + policy.getMetadata().getName();
            List<Workload> selected = m.workloads().stream()
                    .filter(w -> w.namespace().equals(policy.getMetadata().getNamespace()))
                    .filter(w -> Reachability.matches(policy.getSpec().getPodSelector(), w.podLabels())).toList();
            if (selected.isEmpty()) {
                dead.add(name + ": its podSelector matches no pod");
            }
            for (NetworkPolicyIngressRule rule : Reachability.ingressRules(policy)) {
                for (NetworkPolicyPeer peer : Reachability.peers(rule)) {
                    if (peer.getPodSelector() != null
                            && m.workloads().stream().noneMatch(w -> reach.admits(policy, peer, Pod.of(w)))) {
                        dead.add(name + ": peer " + peer.getPodSelector() + " matches no pod");
                    }
                }
                for (NetworkPolicyPort port : Optional.ofNullable(rule.getPorts()).orElse(List.of())) {
                    if (selected.stream().flatMap(w -> ports(w).stream()).noneMatch(p -> Reachability.admits(port, p))) {
                        dead.add(name + ": port " + port.getPort().getValue() + " is no port of the pods it selects");
                    }
                }
            }
        }
        assertThat(dead).as("%s", m).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void prometheusReachesThePortOfEveryPodItScrapes(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Reachability reach = new Reachability(m);
        Pod prometheus = Pod.of(m.workload("mlops", "prometheus"));
        List<String> checked = new ArrayList<>();
        for (Workload w : m.workloads()) {
            if (!"true".equals(w.podAnnotations().get("prometheus.io/scrape"))) {
                continue;
            }
            int number = Integer.parseInt(w.podAnnotations().get("prometheus.io/port"));
            ContainerPort port = ports(w).stream().filter(p -> p.getContainerPort() == number).findFirst()
                    .orElseThrow(() -> new AssertionError(w + " opens no port " + number));
            assertThat(reach.allows(prometheus, Pod.of(w), port)).as("%s: Prometheus scrapes %s:%s", m, w, number)
                    .isTrue();
            checked.add(w.name());
        }
        assertThat(checked).as("%s: scraped pods", m).hasSize(ImageModules.names().size());
    }

    /** In the serving namespace only the serving port is open, to deploy-svc (inference test) and Prometheus. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void theServingNamespaceAnswersOnlyDeploySvcAndPrometheus(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        String serving = m.generated(ConfigMap.class, "mlops", "deploy-svc-config").getData()
                .get("MLOPS_DEPLOY_KUBERNETES_NAMESPACE");
        List<Workload> servingPods = m.workloads().stream().filter(w -> w.namespace().equals(serving)).toList();
        assertThat(servingPods).as("%s: workloads in %s", m, serving).isNotEmpty();
        for (Workload w : servingPods) {
            assertThat(reachingPerPort(m, w)).as("%s: %s port -> pods that reach it", m, w)
                    .isEqualTo(Map.of("http", Set.of("deploy-svc", "prometheus")));
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** For each port of {@code target}: the names of the candidate pods that may connect to it. */
    private static Map<String, Set<String>> reachingPerPort(Manifests m, Workload target) {
        Reachability reach = new Reachability(m);
        Map<String, Set<String>> reaching = new TreeMap<>();
        for (ContainerPort port : ports(target)) {
            reaching.put(port.getName(), sources(m).filter(s -> reach.allows(s, Pod.of(target), port))
                    .map(s -> s.namespace().equals(FOREIGN_NAMESPACE) || s.name().equals(UNLABELLED)
                            ? s.toString() : s.name())
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        return reaching;
    }

    /** The platform's pods, an unlabelled pod in each namespace, and each platform pod's labels elsewhere. */
    private static Stream<Pod> sources(Manifests m) {
        Stream<Pod> platform = m.workloads().stream().map(Pod::of);
        Stream<Pod> unlabelled = m.all(Namespace.class).stream()
                .map(n -> new Pod(n.getMetadata().getName(), Map.of(), UNLABELLED));
        Stream<Pod> impostors = m.workloads().stream()
                .map(w -> new Pod(FOREIGN_NAMESPACE, w.podLabels(), w.name()));
        return Stream.of(platform, unlabelled, impostors).flatMap(s -> s);
    }

    private static List<ContainerPort> ports(Workload w) {
        return w.template().getSpec().getContainers().stream()
                .flatMap(c -> Optional.ofNullable(c.getPorts()).orElse(List.<ContainerPort>of()).stream()).toList();
    }

    /** Every {@code <service>.<namespace>.svc:<port>} in a container's plain environment, resolved to a pod port. */
    private static List<Call> calls(Manifests m) {
        List<Call> calls = new ArrayList<>();
        for (Workload source : m.workloads()) {
            for (Container c : source.containers()) {
                m.plainEnvironment(source.namespace(), c).forEach((env, value) -> {
                    Matcher address = CLUSTER_ADDRESS.matcher(value);
                    while (address.find()) {
                        calls.add(resolve(m, source, env, address));
                    }
                });
            }
        }
        return calls;
    }

    private static Call resolve(Manifests m, Workload source, String env, Matcher address) {
        String what = source + " " + env + " " + address.group();
        assertThat(address.group(3)).as("%s: names its port", what).isNotNull();
        Service service = m.get(Service.class, address.group(2), address.group(1));
        ServicePort servicePort = service.getSpec().getPorts().stream()
                .filter(p -> p.getPort() == Integer.parseInt(address.group(3))).findFirst()
                .orElseThrow(() -> new AssertionError(what + ": the Service has no such port"));
        Workload target = m.workloads().stream().filter(Workload::longRunning)
                .filter(w -> w.namespace().equals(address.group(2)) && WorkloadsTest.selects(service, w))
                .findFirst().orElseThrow(() -> new AssertionError(what + ": the Service selects no pods"));
        IntOrString targetPort = Optional.ofNullable(servicePort.getTargetPort())
                .orElse(new IntOrString(servicePort.getPort()));
        ContainerPort port = ports(target).stream().filter(p -> targetPort.getStrVal() != null
                        ? targetPort.getStrVal().equals(p.getName()) : targetPort.getIntVal().equals(p.getContainerPort()))
                .findFirst().orElseThrow(() -> new AssertionError(what + ": no pod port " + targetPort));
        return new Call(source, env, target, port);
    }

    private static boolean notCalled(Call call) {
        return CONFIGURED_BUT_NOT_CALLED.getOrDefault(call.source().name(), Set.of()).contains(call.env());
    }

    private static boolean selectsEverything(LabelSelector selector) {
        return selector == null || (Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).isEmpty()
                && Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of()).isEmpty());
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        return Stream.concat(a.stream(), b.stream()).collect(Collectors.toUnmodifiableSet());
    }
}
