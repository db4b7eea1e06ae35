package dev.mlops.k8s;

import dev.mlops.k8s.Manifests.Workload;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which pod may open a connection to which pod port under the rendered NetworkPolicies, by the rules of
 * networking.k8s.io/v1 for ingress: a pod no policy selects accepts everything; a selected pod accepts what one
 * rule of one of its policies allows. Egress is not modelled (the manifests leave it open). An {@code ipBlock}
 * peer counts as matching every pod, since it can cover pod addresses.
 */
final class Reachability {

    /** A pod as the policies see it: its namespace and labels. */
    record Pod(String namespace, Map<String, String> labels, String name) {

        static Pod of(Workload w) {
            return new Pod(w.namespace(), w.podLabels(), w.name());
        }

        @Override
        public String toString() {
            return namespace + "/" + name;
        }
    }

    private final Manifests manifests;

    Reachability(Manifests manifests) {
        this.manifests = manifests;
    }

    boolean allows(Pod source, Pod target, ContainerPort port) {
        List<NetworkPolicy> isolating = policiesSelecting(target);
        if (isolating.isEmpty()) {
            return true;
        }
        for (NetworkPolicy policy : isolating) {
            for (NetworkPolicyIngressRule rule : ingressRules(policy)) {
                if (admitsSource(policy, rule, source) && admitsPort(rule, port)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The ingress policies whose podSelector selects {@code target}. */
    List<NetworkPolicy> policiesSelecting(Pod target) {
        return manifests.all(NetworkPolicy.class).stream()
                .filter(p -> p.getMetadata().getNamespace().equals(target.namespace()))
                .filter(Reachability::governsIngress)
                .filter(p -> matches(p.getSpec().getPodSelector(), target.labels()))
                .toList();
    }

    /** Labels the policies' namespaceSelectors see: the ones rendered, plus the one every namespace gets. */
    Map<String, String> namespaceLabels(String namespace) {
        Map<String, String> labels = new HashMap<>(manifests.find(Namespace.class, null, namespace)
                .map(n -> n.getMetadata().getLabels()).orElse(Map.of()));
        labels.put("kubernetes.io/metadata.name", namespace);
        return labels;
    }

    static boolean governsIngress(NetworkPolicy policy) {
        List<String> types = policy.getSpec().getPolicyTypes();
        return types == null || types.isEmpty() || types.contains("Ingress");
    }

    static List<NetworkPolicyIngressRule> ingressRules(NetworkPolicy policy) {
        return Optional.ofNullable(policy.getSpec().getIngress()).orElse(List.of());
    }

    static List<NetworkPolicyPeer> peers(NetworkPolicyIngressRule rule) {
        return Optional.ofNullable(rule.getFrom()).orElse(List.of());
    }

    private boolean admitsSource(NetworkPolicy policy, NetworkPolicyIngressRule rule, Pod source) {
        List<NetworkPolicyPeer> peers = peers(rule);
        return peers.isEmpty() || peers.stream().anyMatch(peer -> admits(policy, peer, source));
    }

    boolean admits(NetworkPolicy policy, NetworkPolicyPeer peer, Pod source) {
        if (peer.getIpBlock() != null) {
            return true;
        }
        if (peer.getNamespaceSelector() == null && peer.getPodSelector() == null) {
            throw new AssertionError("NetworkPolicy " + policy.getMetadata().getName() + ": a peer names nothing");
        }
        boolean namespace = peer.getNamespaceSelector() == null
                ? source.namespace().equals(policy.getMetadata().getNamespace())
                : matches(peer.getNamespaceSelector(), namespaceLabels(source.namespace()));
        return namespace && (peer.getPodSelector() == null || matches(peer.getPodSelector(), source.labels()));
    }

    private static boolean admitsPort(NetworkPolicyIngressRule rule, ContainerPort port) {
        List<NetworkPolicyPort> ports = Optional.ofNullable(rule.getPorts()).orElse(List.of());
        return ports.isEmpty() || ports.stream().anyMatch(p -> admits(p, port));
    }

    static boolean admits(NetworkPolicyPort allowed, ContainerPort port) {
        if (!Objects.equals(Optional.ofNullable(allowed.getProtocol()).orElse("TCP"),
                Optional.ofNullable(port.getProtocol()).orElse("TCP"))) {
            return false;
        }
        if (allowed.getPort() == null) {
            return true;
        }
        if (allowed.getPort().getStrVal() != null) {
            return allowed.getPort().getStrVal().equals(port.getName());
        }
        int from = allowed.getPort().getIntVal();
        int to = Optional.ofNullable(allowed.getEndPort()).orElse(from);
        return port.getContainerPort() >= from && port.getContainerPort() <= to;
    }

    /** Label selector semantics: every matchLabels entry and every expression must hold; empty selects all. */
    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector == null) {
            return true;
        }
        boolean labelsMatch = Optional.ofNullable(selector.getMatchLabels()).orElse(Map.of()).entrySet().stream()
                .allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        return labelsMatch && Optional.ofNullable(selector.getMatchExpressions()).orElse(List.of()).stream()
                .allMatch(r -> holds(r, labels));
    }

    private static boolean holds(LabelSelectorRequirement requirement, Map<String, String> labels) {
        String value = labels.get(requirement.getKey());
        List<String> values = Optional.ofNullable(requirement.getValues()).orElse(List.of());
        return switch (requirement.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            default -> throw new AssertionError("unknown selector operator " + requirement.getOperator());
        };
    }
}
