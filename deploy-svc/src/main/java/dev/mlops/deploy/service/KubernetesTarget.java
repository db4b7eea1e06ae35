package dev.mlops.deploy.service;

import dev.mlops.runtime.stage.StageFailure;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.RollableScalableResource;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Rolls an image out on the serving Deployment as {@code kubectl set image}, {@code scale --replicas=1} and
 * {@code rollout restart} would, then waits like {@code kubectl rollout status}. Only operations fabric8's mock API
 * server implements are used (edit = JSON patch, rolling().restart()); the status is read, never assumed.
 */
public class KubernetesTarget {

    private static final Logger LOG = Logger.getLogger(KubernetesTarget.class);

    /** @param previousImage the container's image before, for putting it back */
    public record Rollout(String namespace, String deployment, String image, String previousImage) {
    }

    private final KubernetesClient client;
    private final String namespace;
    private final String deployment;
    private final String container;
    private final Duration timeout;
    private final Duration pollInterval;

    public KubernetesTarget(KubernetesClient client, String namespace, String deployment, String container,
                            Duration timeout, Duration pollInterval) {
        this.client = client;
        this.namespace = namespace;
        this.deployment = deployment;
        this.container = container;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
    }

    public String name() {
        return namespace + "/" + deployment;
    }

    public Rollout rollOut(String image) {
        RollableScalableResource<Deployment> resource = resource();
        String previous = currentImage(read(resource));
        try {
            resource.edit(d -> withImage(d, image, 1));
            resource.rolling().restart();
        } catch (KubernetesClientException e) {
            throw new StageFailure("could not update Deployment " + name() + ": " + describe(e), e);
        }
        LOG.infof("Deployment %s: image %s (was %s), 1 replica, restarted; waiting up to %s", name(), image, previous,
                seconds(timeout));
        awaitAvailable(resource);
        return new Rollout(namespace, deployment, image, previous);
    }

    /** Puts the previous image back (and restarts), without waiting: used when the new model fails its test. */
    public void rollBack(Rollout rollout) {
        try {
            RollableScalableResource<Deployment> resource = resource();
            resource.edit(d -> withImage(d, rollout.previousImage(), 1));
            resource.rolling().restart();
        } catch (KubernetesClientException e) {
            LOG.warnf("could not roll Deployment %s back to %s: %s", name(), rollout.previousImage(), describe(e));
        }
    }

    private RollableScalableResource<Deployment> resource() {
        return client.apps().deployments().inNamespace(namespace).withName(deployment);
    }

    private Deployment read(RollableScalableResource<Deployment> resource) {
        Deployment current;
        try {
            current = resource.get();
        } catch (KubernetesClientException e) {
            throw new StageFailure("could not read Deployment " + name() + " from the Kubernetes API at "
                    + client.getMasterUrl() + ": " + describe(e), e);
        }
        if (current == null) {
            throw new StageFailure("Deployment " + name() + " does not exist: apply the serving manifests first"
                    + " (or set mlops.deploy.kubernetes.namespace / deployment)");
        }
        return current;
    }

    private String currentImage(Deployment current) {
        return container(current).map(Container::getImage).orElseThrow(() -> new StageFailure("Deployment " + name()
                + " has no container '" + container + "' (it has: " + current.getSpec().getTemplate().getSpec()
                .getContainers().stream().map(Container::getName).toList() + "); set mlops.deploy.kubernetes.container"));
    }

    private Optional<Container> container(Deployment d) {
        return d.getSpec().getTemplate().getSpec().getContainers().stream()
                .filter(c -> container.equals(c.getName())).findFirst();
    }

    private Deployment withImage(Deployment d, String image, int replicas) {
        return new DeploymentBuilder(d)
                .editSpec()
                .withReplicas(replicas)
                .editTemplate().editSpec()
                .editMatchingContainer(c -> container.equals(c.getName())).withImage(image).endContainer()
                .endSpec().endTemplate()
                .endSpec()
                .build();
    }

    private void awaitAvailable(RollableScalableResource<Deployment> resource) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Deployment current = read(resource);
        while (!RolloutStatus.of(current).done()) {
            RolloutStatus status = RolloutStatus.of(current);
            if (status.deadlineExceeded() != null) {
                throw new StageFailure("rollout of " + name() + " failed: " + status.deadlineExceeded());
            }
            if (System.nanoTime() >= deadline) {
                throw new StageFailure("rollout of " + name() + " not available after " + seconds(timeout) + ": "
                        + status.describe());
            }
            sleep(pollInterval);
            current = read(resource);
        }
    }

    /** What {@code kubectl rollout status} looks at: observed generation, updated, ready and available replicas. */
    record RolloutStatus(int wanted, boolean observed, int total, int updated, int ready, int available,
                         String deadlineExceeded) {

        static RolloutStatus of(Deployment d) {
            DeploymentStatus s = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
            Long generation = d.getMetadata().getGeneration();
            boolean observed = generation == null
                    || (s.getObservedGeneration() != null && s.getObservedGeneration() >= generation);
            String deadline = s.getConditions() == null ? null : s.getConditions().stream()
                    .filter(c -> "Progressing".equals(c.getType()) && "ProgressDeadlineExceeded".equals(c.getReason()))
                    .map(DeploymentCondition::getMessage).filter(Objects::nonNull).findFirst().orElse(null);
            return new RolloutStatus(d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas(), observed,
                    orZero(s.getReplicas()), orZero(s.getUpdatedReplicas()), orZero(s.getReadyReplicas()),
                    orZero(s.getAvailableReplicas()), deadline);
        }

        boolean done() {
            return observed && updated >= wanted && total <= updated && ready >= wanted && available >= wanted;
        }

        String describe() {
            return ready + "/" + wanted + " replicas ready, " + updated + " updated, " + available + " available"
                    + (observed ? "" : ", the controller has not observed the change yet");
        }

        private static int orZero(Integer value) {
            return value == null ? 0 : value;
        }
    }

    static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String describe(KubernetesClientException e) {
        return e.getCode() > 0 ? "HTTP " + e.getCode() + " " + e.getMessage() : String.valueOf(e.getMessage());
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while waiting for the rollout of Deployment", e);
        }
    }
}
