package dev.mlops.deploy.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.deploy.client.TrackingModelAliases;
import dev.mlops.deploy.service.DeployService;
import dev.mlops.deploy.service.InferenceCheck;
import dev.mlops.deploy.service.KubernetesTarget;
import dev.mlops.deploy.service.LocalTarget;
import dev.mlops.deploy.service.ModelServerLauncher;
import dev.mlops.deploy.service.ServingFront;
import dev.mlops.runtime.config.S3Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;

/** Wires the deploy stage's plain classes from configuration. Targets are created on first use. */
public class DeployProducers {

    @Produces
    @ApplicationScoped
    DeployService deployService(DeployConfig deploy, TrackingClient tracking, S3Config s3, ArtifactStore store,
                                Instance<KubernetesTarget> kubernetes, Instance<LocalTarget> local) {
        return new DeployService(kubernetes::get, deploy.kubernetes().servingUrl(), local::get,
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
    @ApplicationScoped
    LocalTarget localTarget(DeployConfig deploy, ServingLimits limits, Vertx vertx) {
        DeployConfig.Local l = deploy.local();
        long maxRequestBytes = limits.maxRequestSize().asLongValue();
        ModelServerLauncher launcher = new ModelServerLauncher(l.serverJar(), l.stateDir().resolve("logs"),
                l.javaOptions(), l.startTimeout(), maxRequestBytes);
        return new LocalTarget(launcher, new ServingFront(vertx, l.host(), l.port(), maxRequestBytes), l.stateDir(),
                l.drainTimeout());
    }

    void stopLocalDeployments(@Disposes LocalTarget local) {
        local.close();
    }
}
