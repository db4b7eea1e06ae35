package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Only deploy-svc may change anything through the Kubernetes API, and only the serving Deployment. */
class RbacTest {

    /** What deploy-svc's fabric8 calls need (see deploy-svc-rbac.yaml): GET the Deployment, PATCH it. */
    private static final Set<String> DEPLOY_VERBS = Set.of("get", "patch");
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

    private record Binding(String namespace, RoleRef role, Subject subject) {
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void deploySvcMayOnlyGetAndPatchTheServingDeployment(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        Map<String, String> config = m.generated(ConfigMap.class, "mlops", "deploy-svc-config").getData();
        String namespace = config.get("MLOPS_DEPLOY_KUBERNETES_NAMESPACE");
        String deployment = config.get("MLOPS_DEPLOY_KUBERNETES_DEPLOYMENT");

        Workload deploySvc = m.workload("mlops", "deploy-svc");
        String account = deploySvc.template().getSpec().getServiceAccountName();
        assertThat(account).as("deploy-svc runs under its own ServiceAccount").isEqualTo("deploy-svc");

        List<Binding> grants = bindings(m).stream().filter(b -> isAccount(b.subject(), "mlops", account)).toList();
        assertThat(grants).as("bindings of ServiceAccount mlops/%s", account).hasSize(1);
        Binding grant = grants.get(0);
        assertThat(grant.role().getKind()).as("a namespaced Role, not a ClusterRole").isEqualTo("Role");
        assertThat(grant.namespace()).as("granted in the serving namespace").isEqualTo(namespace);

        Role role = m.get(Role.class, namespace, grant.role().getName());
        assertThat(role.getRules()).hasSize(1);
        PolicyRule rule = role.getRules().get(0);
        assertThat(rule.getApiGroups()).containsExactly("apps");
        assertThat(rule.getResources()).containsExactly("deployments");
        assertThat(rule.getResourceNames()).as("only the serving Deployment").containsExactly(deployment);
        assertThat(Set.copyOf(rule.getVerbs())).isEqualTo(DEPLOY_VERBS);

        // what the Role names is what deploy-svc is configured to roll out on and to test
        Workload serving = m.workload(namespace, deployment);
        assertThat(serving.template().getSpec().getContainers()).extracting(c -> c.getName())
                .contains(config.get("MLOPS_DEPLOY_KUBERNETES_CONTAINER"));
        URI url = URI.create(config.get("MLOPS_DEPLOY_KUBERNETES_SERVING_URL"));
        String[] host = url.getHost().split("\\.");
        Service service = m.get(Service.class, host[1], host[0]);
        assertThat(host[1]).isEqualTo(namespace);
        assertThat(WorkloadsTest.selects(service, serving)).as("%s selects the serving pods", url).isTrue();
        assertThat(service.getSpec().getPorts()).as("%s: port", url).anyMatch(p -> p.getPort() == url.getPort());
    }

    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void noOtherAccountMayWriteAndNoRuleUsesWildcards(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        List<String> problems = new ArrayList<>();
        for (Binding b : bindings(m)) {
            List<PolicyRule> rules = rules(m, b);
            if (rules == null) {
                problems.add("binding in " + b.namespace() + " refers to " + b.role().getKind() + " "
                        + b.role().getName() + ", which the manifests do not define (a built-in role?)");
                continue;
            }
            boolean deploySvc = isAccount(b.subject(), "mlops", "deploy-svc");
            for (PolicyRule rule : rules) {
                Stream.of(rule.getVerbs(), rule.getResources(), rule.getApiGroups(),
                                Optional.ofNullable(rule.getResourceNames()).orElse(List.of()))
                        .flatMap(List::stream).filter(v -> v.contains("*"))
                        .forEach(v -> problems.add(b.role().getName() + ": wildcard " + v));
                if (!deploySvc && !READ_VERBS.containsAll(rule.getVerbs())) {
                    problems.add(b.subject().getName() + " may " + rule.getVerbs() + " " + rule.getResources());
                }
            }
        }
        assertThat(problems).as("%s", m).isEmpty();
    }

    /** A pod gets an API token only if its account has a binding: deploy-svc and Prometheus' discovery. */
    @ParameterizedTest
    @ValueSource(strings = {Kustomize.BASE, Kustomize.KIND})
    void onlyPodsWhoseAccountIsBoundMountAToken(String kustomization) {
        Manifests m = Kustomize.render(kustomization);
        List<String> tokenHolders = new ArrayList<>();
        for (Workload w : m.workloads()) {
            if (!Boolean.FALSE.equals(w.template().getSpec().getAutomountServiceAccountToken())) {
                String account = Optional.ofNullable(w.template().getSpec().getServiceAccountName()).orElse("default");
                assertThat(bindings(m)).as("%s mounts a token of %s, which no binding grants anything", w, account)
                        .anyMatch(b -> isAccount(b.subject(), w.namespace(), account));
                tokenHolders.add(w.name());
            }
        }
        assertThat(tokenHolders).containsExactlyInAnyOrder("deploy-svc", "prometheus");
    }

    private static List<Binding> bindings(Manifests m) {
        List<Binding> bindings = new ArrayList<>();
        for (RoleBinding rb : m.all(RoleBinding.class)) {
            rb.getSubjects().forEach(s -> bindings.add(new Binding(rb.getMetadata().getNamespace(), rb.getRoleRef(), s)));
        }
        for (ClusterRoleBinding crb : m.all(ClusterRoleBinding.class)) {
            crb.getSubjects().forEach(s -> bindings.add(new Binding(null, crb.getRoleRef(), s)));
        }
        return bindings;
    }

    private static List<PolicyRule> rules(Manifests m, Binding b) {
        if (b.role().getKind().equals("Role")) {
            return m.find(Role.class, b.namespace(), b.role().getName()).map(Role::getRules).orElse(null);
        }
        return m.find(ClusterRole.class, null, b.role().getName()).map(ClusterRole::getRules).orElse(null);
    }

    private static boolean isAccount(Subject s, String namespace, String name) {
        return s.getKind().equals("ServiceAccount") && namespace.equals(s.getNamespace()) && name.equals(s.getName());
    }
}
