package dev.mlops.deploy.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.runtime.registry.TrackingModelAliases;
import dev.mlops.deploy.service.ContainerLauncher;
import dev.mlops.deploy.service.DeployService;
import dev.mlops.deploy.service.InferenceCheck;
import dev.mlops.deploy.service.KubernetesTarget;
import dev.mlops.deploy.service.ModelServerLauncher;
import dev.mlops.deploy.service.ServingFront;
import dev.mlops.deploy.service.ServingSlot;
import dev.mlops.runtime.config.S3Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.util.List;
import java.util.OptionalLong;

/**
 * Wires the deploy stage's plain classes from configuration. The Kubernetes target and the serving slot are created
 * on first use (the slot at start when a deployment is recorded, to adopt it); the launchers hold no connection (a
 * container runtime is only needed by a container deploy).
 */
public class DeployProducers {

    @Produces
    @ApplicationScoped
    DeployService deployService(DeployConfig deploy, TrackingClient tracking, S3Config s3, ArtifactStore store,
                                Instance<KubernetesTarget> kubernetes, Instance<ServingSlot> slot,
                                ModelServerLauncher processes, ContainerLauncher containers) {
        return new DeployService(kubernetes::get, deploy.kubernetes().servingUrl(), slot::get, processes, containers,
                new InferenceCheck(store, deploy.inference().batchSize(), deploy.inference().requestTimeout()),
                new TrackingModelAliases(tracking), s3.settings());
    }

    @Produces
    @ApplicationScoped
    KubernetesTarget kubernetesTarget(KubernetesClient client, DeployConfig deploy) {
        DeployConfig.Kubernetes k = deploy.kubernetes();
        return new KubernetesTarget(client, k.namespace(), k.deployment(), k.container(), k.rolloutTimeout(),
                k.pollInterval());
    }

    @Produces
    @Singleton
    ModelServerLauncher processLauncher(DeployConfig deploy, ServingLimits limits) {
        DeployConfig.Local l = deploy.local();
        return new ModelServerLauncher(l.serverJar(), l.stateDir().resolve("logs"), l.javaOptions(), l.startTimeout(),
                limits.maxRequestSize().asLongValue());
    }

    @Produces
    @Singleton
    ContainerLauncher containerLauncher(DeployConfig deploy, ServingLimits limits, ArtifactStore store) {
        DeployConfig.Container c = deploy.container();
        OptionalLong memory = c.memory().map(m -> OptionalLong.of(m.asLongValue())).orElse(OptionalLong.empty());
        return new ContainerLauncher(new ContainerLauncher.Settings(c.dockerHost(), c.startTimeout(), c.pullTimeout(),
                c.javaOptions(), memory, limits.maxRequestSize().asLongValue()), store);
    }

    @Produces
    @ApplicationScoped
    ServingSlot servingSlot(DeployConfig deploy, ServingLimits limits, Vertx vertx, ModelServerLauncher processes,
                            ContainerLauncher containers) {
        DeployConfig.Local l = deploy.local();
        ServingFront front = new ServingFront(vertx, l.host(), l.port(), limits.maxRequestSize().asLongValue());
        return new ServingSlot(front, l.stateDir(), l.drainTimeout(),
                List.of(processes, containers));
    }

    /**
     * A deploy-svc that restarts while a model it deployed still serves takes it over at once: the stable URL answers
     * again as soon as deploy-svc is up, not only after the next deploy.
     */
    void adoptWhatStillServes(@Observes StartupEvent started, DeployConfig deploy, Instance<ServingSlot> slot) {
        if (ServingSlot.hasRecord(deploy.local().stateDir())) {
            slot.get().current();
        }
    }

    void stopServing(@Disposes ServingSlot slot) {
        slot.close();
    }
}
