package dev.mlops.deploy.config;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.runtime.registry.TrackingModelAliases;
import dev.mlops.deploy.service.ContainerLauncher;
import dev.mlops.deploy.service.DeployService;
import dev.mlops.common.store.S3Settings;
import dev.mlops.deploy.service.AdminToken;
import dev.mlops.deploy.service.InferenceCheck;
import dev.mlops.deploy.service.LocalServing;
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

import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Wires the deploy stage's plain classes from configuration. The Kubernetes target and the serving slot are created
 * on first use (the slot at start when a deployment is recorded, to adopt it); the launchers hold no connection (a
 * container runtime is only needed by a container deploy).
 */
public class DeployProducers {

    private static final Logger LOG = Logger.getLogger(DeployProducers.class);

    @Produces
    @ApplicationScoped
    DeployService deployService(DeployConfig deploy, TrackingClient tracking, S3Config s3, ArtifactStore store,
                                Instance<KubernetesTarget> kubernetes, Instance<ServingSlot> slot,
                                Instance<LocalServing> local, ContainerLauncher containers) {
        return new DeployService(kubernetes::get, deploy.kubernetes().servingUrl(), slot::get, local::get, containers,
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
    @Singleton
    LocalServing localServing(DeployConfig deploy, ModelServerLauncher processes, S3Config s3) {
        DeployConfig.Local l = deploy.local();
        S3Settings store = s3.settings();
        Map<String, String> env = Map.of("MLOPS_S3_ENDPOINT", store.endpoint(), "MLOPS_S3_ACCESS_KEY", store.accessKey(),
                "MLOPS_S3_SECRET_KEY", store.secretKey(), "MLOPS_S3_BUCKET", store.bucket(),
                "MLOPS_S3_REGION", store.region());
        String token = l.adminToken().filter(t -> !t.isBlank()).orElseGet(() -> AdminToken.keptIn(l.stateDir()));
        return new LocalServing(processes, l.host(), l.port(), l.stateDir(), env, token);
    }

    @Produces
    @ApplicationScoped
    ServingSlot servingSlot(DeployConfig deploy, ServingLimits limits, Vertx vertx, ContainerLauncher containers) {
        DeployConfig.Local l = deploy.local();
        ServingFront front = new ServingFront(vertx, l.host(), l.port(), limits.maxRequestSize().asLongValue());
        return new ServingSlot(front, l.stateDir(), l.drainTimeout(), List.of(containers));
    }

    /**
     * What serves the stable URL is up as soon as deploy-svc is: a recorded container is adopted behind the front;
     * otherwise the local model-server is adopted or started ahead (in the background, after {@code start-ahead-delay}:
     * deploy-svc need not wait for it, the first local deploy does), so that a deploy only loads a bundle into a warm
     * JVM.
     */
    void serveAtStart(@Observes StartupEvent started, DeployConfig deploy, Instance<ServingSlot> slot,
                      Instance<LocalServing> local) {
        if (ServingSlot.hasRecord(deploy.local().stateDir())) {
            slot.get().current();
        } else if (deploy.local().startAhead()) {
            LocalServing serving = local.get();
            long delayMillis = deploy.local().startAheadDelay().toMillis();
            Thread starter = new Thread(() -> {
                try {
                    Thread.sleep(delayMillis);
                    serving.startAhead();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    LOG.warnf("the local model-server was not started ahead: %s (a local deploy tries again)",
                            e.getMessage());
                }
            }, "local-model-server-start");
            starter.setDaemon(true);
            starter.start();
        }
    }

    void stopServing(@Disposes ServingSlot slot) {
        slot.close();
    }

    void stopWatching(@Disposes LocalServing local) {
        local.close();
    }
}
