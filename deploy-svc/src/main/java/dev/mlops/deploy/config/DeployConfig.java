package dev.mlops.deploy.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** {@code mlops.deploy.*}: where models are rolled out (Kubernetes, a container, a process) and how their endpoint is tested. */
@ConfigMapping(prefix = "mlops.deploy")
public interface DeployConfig {

    Kubernetes kubernetes();

    Local local();

    Container container();

    Inference inference();

    /** The serving Deployment, as the published manifests name it. */
    interface Kubernetes {

        @WithDefault("mlmodel")
        String namespace();

        @WithDefault("mlflow-model-deployment")
        String deployment();

        @WithDefault("mlflow-model-container")
        String container();

        /** How long the rollout may take before the stage fails. */
        @WithDefault("120s")
        Duration rolloutTimeout();

        @WithDefault("1s")
        Duration pollInterval();

        /** Base URL of the serving Service as deploy-svc reaches it (e.g. http://mlflow-model-service.mlmodel:8090). */
        Optional<String> servingUrl();
    }

    /** The local model-server on this machine, listening on the stable serving port. */
    interface Local {

        /** model-server's {@code quarkus-run.jar}; by default model-server/target/quarkus-app/ of the repository. */
        Optional<Path> serverJar();

        /** Log files and the record of the current deployment. */
        @WithDefault("deploy-state")
        Path stateDir();

        @WithDefault("127.0.0.1")
        String host();

        /** The stable serving port users call: the local model-server's own, or the front's for containers. */
        @WithDefault("8090")
        int port();

        /** The warm model-server's JVM options. */
        @WithDefault("-Xmx256m -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError")
        String javaOptions();

        /** Start the local model-server when deploy-svc starts, so that a deploy only loads a bundle into a warm JVM. */
        @WithDefault("true")
        boolean startAhead();

        /**
         * How long after deploy-svc's start the warm model-server starts: with {@code ./mlops up} the other services
         * are still starting on the same cores then. A local deploy before that starts it itself.
         */
        @WithDefault("5s")
        Duration startAheadDelay();

        /** The model-server's admin token; by default a random one kept in {@code <state-dir>/admin-token}. */
        Optional<String> adminToken();

        /** How long the model-server may take to start, and to load a bundle. */
        @WithDefault("120s")
        Duration startTimeout();

        /** How long requests still running on the previous container may take before it is stopped. */
        @WithDefault("30s")
        Duration drainTimeout();
    }

    /** deploy.target container: the run's image as a container behind the same front as {@link Local}. */
    interface Container {

        /** The Docker Engine API: podman's {@code system service} socket or a Docker daemon (unix:// or tcp://). */
        @WithDefault("${DOCKER_HOST:unix:///var/run/docker.sock}")
        String dockerHost();

        /** How long a new container may take to answer /ping. */
        @WithDefault("60s")
        Duration startTimeout();

        /** How long pulling the image from its registry (or loading its tarball) may take. */
        @WithDefault("300s")
        Duration pullTimeout();

        /** Passed to the model-server's JVM as JAVA_TOOL_OPTIONS. */
        @WithDefault("-Xmx256m -XX:+UseSerialGC")
        String javaOptions();

        /** The container's memory limit ({@code docker run --memory}); none by default. */
        Optional<MemorySize> memory();
    }

    interface Inference {

        /** Rows per POST /invocations of the test split. */
        @WithDefault("500")
        int batchSize();

        @WithDefault("60s")
        Duration requestTimeout();
    }
}
