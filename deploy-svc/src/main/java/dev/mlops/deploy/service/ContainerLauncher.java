package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LoadResponseItem;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import com.github.dockerjava.api.model.PullResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import org.jboss.logging.Logger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * Runs the image the image stage built as a container, through the Docker Engine API (podman's
 * {@code system service} or a Docker daemon; docker-java with its zero-dependency transport). The image is pulled
 * from its registry, or loaded from the run's docker-load tarball; model-server's port 8090 is published on a free
 * loopback port. Each call opens its own connection, so a deploy-svc without a container runtime starts and serves
 * the other targets. A container that does not become ready is removed, with its last log lines in the failure.
 */
public class ContainerLauncher implements BackendAdopter {

    private static final Logger LOG = Logger.getLogger(ContainerLauncher.class);
    public static final String RUN_ID_LABEL = "dev.mlops.run-id";
    public static final String ROLE_LABEL = "dev.mlops.role";
    public static final String ROLE = "model-server";
    static final int SERVING_PORT = 8090;
    static final int LOG_LINES = 20;
    static final String DOCKER_HOST_SETTING = "mlops.deploy.container.docker-host";

    /**
     * {@code mlops.deploy.container.*}; {@code maxRequestBytes} is mlops.serving.max-request-size, passed on so that
     * each container applies the front's limit.
     */
    public record Settings(String dockerHost, Duration startTimeout, Duration pullTimeout, String javaOptions,
                           OptionalLong memoryBytes, long maxRequestBytes) {
    }

    /** The run's image: pulled from its registry, or (not pushed) loaded from the tarball in the artifact store. */
    public record RunImage(String reference, Optional<URI> tarball) {
    }

    /** A started container serving one run's model on a loopback port of its own. */
    public record ModelContainer(String runId, int port, String id, String name, String image,
                                 Duration startToReady, ContainerLauncher launcher) implements ModelBackend {

        @Override
        public void stop(Duration grace) {
            launcher.remove(id, grace);
        }

        @Override
        public Map<String, Object> describe() {
            return Map.of("backend", "container", "containerId", id, "containerName", name, "image", image);
        }
    }

    private final Settings settings;
    private final ArtifactStore store;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public ContainerLauncher(Settings settings, ArtifactStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** Gets the image, starts a container of it with {@code env} and waits until it answers /ping. */
    public ModelContainer start(String runId, RunImage image, Map<String, String> env) {
        try (DockerClient docker = connect()) {
            String local = image.tarball().isPresent() ? load(docker, image) : pull(docker, image.reference());
            int port = ModelServerLauncher.freePort();
            String name = "mlops-model-" + runTag(runId) + "-" + port;
            String id = create(docker, runId, local, name, port, env);
            try {
                long started = System.nanoTime();
                docker.startContainerCmd(id).exec();
                ModelContainer container = new ModelContainer(runId, port, id, name, image.reference(),
                        awaitReady(docker, id, name, port, started), this);
                LOG.infof("container %s (%s) of run %s ready on port %d in %d ms", name, shortId(id), runId, port,
                        container.startToReady().toMillis());
                return container;
            } catch (RuntimeException e) {
                RuntimeException failure = e instanceof StageFailure ? e : new StageFailure("container " + name
                        + " of " + local + " could not be started: " + describe(e) + lastLogLines(docker, id), e);
                removeQuietly(docker, id);
                throw failure;
            }
        } catch (IOException e) {
            throw new StageFailure("could not close the connection to the container runtime: " + e.getMessage(), e);
        }
    }

    /** Stops the container ({@code docker stop -t grace}) and removes it; gone already is fine. */
    void remove(String id, Duration grace) {
        try (DockerClient docker = connect()) {
            try {
                docker.stopContainerCmd(id).withTimeout((int) Math.max(1, grace.toSeconds())).exec();
            } catch (NotModifiedException alreadyStopped) {
                // nothing to stop
            }
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException gone) {
            // removed already
        } catch (RuntimeException | IOException e) {
            LOG.warnf("could not remove container %s: %s", shortId(id), describe(e));
        }
    }

    /**
     * The container an earlier deploy-svc recorded: adopted when it still answers /ping on its recorded port (a
     * container outlives deploy-svc), else removed.
     */
    @Override
    public Optional<ModelBackend> adopt(JsonNode record) {
        String id = record.path("containerId").asText("");
        if (id.isEmpty()) {
            return Optional.empty();
        }
        ModelContainer container = new ModelContainer(record.path("runId").asText(), record.path("port").asInt(), id,
                record.path("containerName").asText(""), record.path("image").asText(""), Duration.ZERO, this);
        return BackendAdopter.keepIfServing(container, "container " + shortId(id));
    }

    private DockerClient connect() {
        DockerClient docker;
        try {
            DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
                    .withDockerHost(settings.dockerHost()).build();
            DockerHttpClient transport = new ZerodepDockerHttpClient.Builder()
                    .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
                    .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(settings.pullTimeout()).build();
            docker = DockerClientImpl.getInstance(config, transport);
        } catch (RuntimeException e) {
            throw noRuntime(e);
        }
        try {
            docker.pingCmd().exec();
            return docker;
        } catch (RuntimeException e) {
            closeQuietly(docker);
            throw noRuntime(e);
        }
    }

    private StageFailure noRuntime(RuntimeException e) {
        return new StageFailure("no container runtime answers at " + settings.dockerHost() + " ("
                + DOCKER_HOST_SETTING + ", default $DOCKER_HOST): " + describe(e) + ". deploy.target container needs"
                + " the Docker Engine API: install podman and runc (apt-get install -y podman runc) and run"
                + " `podman system service --time=0 unix:///run/podman/podman.sock`, or install Docker; then point "
                + DOCKER_HOST_SETTING + " at its socket", e);
    }

    private String pull(DockerClient docker, String reference) {
        try {
            PullCallback pulled = docker.pullImageCmd(reference).exec(new PullCallback());
            if (!pulled.awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                pulled.close();
                throw new StageFailure("pulling " + reference + " took longer than "
                        + KubernetesTarget.seconds(settings.pullTimeout()) + " (mlops.deploy.container.pull-timeout)");
            }
            if (pulled.error != null) {
                throw pullFailure(reference, pulled.error, null);
            }
            docker.inspectImageCmd(reference).exec();
            return reference;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while pulling " + reference, e);
        } catch (DockerException | DockerClientException | IOException e) {
            throw pullFailure(reference, describe(e), e);
        }
    }

    /**
     * Progress of POST /images/create. Not docker-java's PullImageResultCallback: podman's compat API reports a failed
     * pull as an item with only an error, on which that callback fails with a NullPointerException.
     */
    private static final class PullCallback extends ResultCallback.Adapter<PullResponseItem> {
        private volatile String error;

        @Override
        public void onNext(PullResponseItem item) {
            if (item.isErrorIndicated()) {
                error = item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                        ? item.getErrorDetail().getMessage() : item.getError();
            }
        }
    }

    /** A registry that did not answer may come back (tried again, {@code mlops.stage.retry.*}); one that said no won't. */
    private static RuntimeException pullFailure(String reference, String error, Exception cause) {
        String message = "could not pull " + reference + ": " + Text.quote(error, 500) + ". " + pullAdvice(error);
        return registryAnswered(error) ? new StageFailure(message, cause) : new TransientFailure(message, cause);
    }

    private static boolean registryAnswered(String error) {
        String lower = String.valueOf(error).toLowerCase(Locale.ROOT);
        return !(lower.contains("connection refused") || lower.contains("no such host") || lower.contains("i/o timeout")
                || lower.contains("timeout") || lower.contains("connection reset"));
    }

    private static String pullAdvice(String message) {
        String error = String.valueOf(message).toLowerCase(Locale.ROOT);
        if (registryAnswered(message) && (error.contains("manifest unknown") || error.contains("not found")
                || error.contains("name unknown"))) {
            return "The registry does not hold this image (deleted, or pushed to another registry): run the pipeline"
                    + " again so that the image stage pushes it";
        }
        return "Check that the registry runs and that the container runtime reaches it (a registry over plain HTTP"
                + " must be listed as insecure: registries.conf for podman, insecure-registries in Docker's"
                + " daemon.json)";
    }

    private String load(DockerClient docker, RunImage image) {
        URI tarball = image.tarball().orElseThrow();
        // opened outside the try below: a store that does not answer is tried again, not a failed load
        InputStream tar = store.open(tarball);
        try (InputStream in = tar) {
            LoadCallback loaded = docker.loadImageAsyncCmd(in).exec(new LoadCallback());
            if (!loaded.awaitCompletion(settings.pullTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                throw new StageFailure("loading " + tarball + " took longer than "
                        + KubernetesTarget.seconds(settings.pullTimeout()) + " (mlops.deploy.container.pull-timeout)");
            }
            return loaded.imageName(image.reference());
        } catch (IOException | RuntimeException e) {
            if (e instanceof StageFailure failure) {
                throw failure;
            }
            throw new StageFailure("could not load image " + image.reference() + " from " + tarball + " into the"
                    + " container runtime: " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StageFailure("interrupted while loading " + tarball, e);
        }
    }

    /** What POST /images/load answers: {@code Loaded image: NAME[,NAME...]} (or {@code Loaded image ID: sha256:...}). */
    private static final class LoadCallback extends ResultCallback.Adapter<LoadResponseItem> {
        private final StringBuilder stream = new StringBuilder();
        private String error;

        @Override
        public void onNext(LoadResponseItem item) {
            if (item.getStream() != null) {
                stream.append(item.getStream());
            }
            if (item.isErrorIndicated()) {
                error = item.getError() != null ? item.getError() : String.valueOf(item.getErrorDetail());
            }
        }

        String imageName(String reference) {
            if (error != null) {
                throw new StageFailure("the container runtime could not load image " + reference + ": " + error);
            }
            for (String line : stream.toString().split("\n")) {
                String loaded = line.replaceFirst("^Loaded image( ID)?: *", "");
                if (!loaded.equals(line) && !loaded.isBlank()) {
                    return loaded.split(",")[0].trim();
                }
            }
            return reference;
        }
    }

    private String create(DockerClient docker, String runId, String image, String name, int port,
                          Map<String, String> env) {
        ExposedPort served = ExposedPort.tcp(SERVING_PORT);
        HostConfig host = HostConfig.newHostConfig()
                .withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), served));
        settings.memoryBytes().ifPresent(host::withMemory);
        Map<String, String> variables = new LinkedHashMap<>(env);
        variables.put("MLOPS_SERVING_MAX_REQUEST_SIZE", Long.toString(settings.maxRequestBytes()));
        variables.put("QUARKUS_HTTP_PORT", Integer.toString(SERVING_PORT));
        if (!settings.javaOptions().isBlank()) {
            variables.put("JAVA_TOOL_OPTIONS", settings.javaOptions().trim());
        }
        List<String> environment = new ArrayList<>();
        variables.forEach((key, value) -> environment.add(key + "=" + value));
        try {
            return docker.createContainerCmd(image).withName(name)
                    .withLabels(Map.of(RUN_ID_LABEL, runId, ROLE_LABEL, ROLE))
                    .withEnv(environment).withExposedPorts(served).withHostConfig(host)
                    .exec().getId();
        } catch (DockerException e) {
            throw new StageFailure("could not create a container of " + image + ": " + describe(e), e);
        }
    }

    private Duration awaitReady(DockerClient docker, String id, String name, int port, long started) {
        long deadline = started + settings.startTimeout().toNanos();
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return Duration.ofNanos(System.nanoTime() - started);
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StageFailure("interrupted while waiting for container " + name, e);
            }
            InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(id).exec().getState();
            if ("exited".equals(state.getStatus()) || "dead".equals(state.getStatus())) {
                throw new StageFailure("container " + name + " exited with code " + state.getExitCodeLong()
                        + " before answering /ping" + lastLogLines(docker, id));
            }
            sleep(100);
        }
        throw new StageFailure("container " + name + " did not answer /ping within "
                + KubernetesTarget.seconds(settings.startTimeout()) + " (mlops.deploy.container.start-timeout)"
                + lastLogLines(docker, id));
    }

    /** {@code docker logs --tail 20}, as the end of a failure message. */
    private static String lastLogLines(DockerClient docker, String id) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try {
            docker.logContainerCmd(id).withStdOut(true).withStdErr(true).withTail(LOG_LINES)
                    .exec(new ResultCallback.Adapter<Frame>() {
                        @Override
                        public void onNext(Frame frame) {
                            output.writeBytes(frame.getPayload());
                        }
                    }).awaitCompletion(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return "; its log could not be read: " + describe(e);
        }
        String log = output.toString(StandardCharsets.UTF_8).strip();
        return log.isEmpty() ? "; it logged nothing" : "; its last log lines:\n" + log;
    }

    private static void removeQuietly(DockerClient docker, String id) {
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException gone) {
            // removed already
        } catch (RuntimeException e) {
            LOG.warnf("could not remove container %s: %s", shortId(id), describe(e));
        }
    }

    private static void closeQuietly(DockerClient docker) {
        try {
            docker.close();
        } catch (IOException | RuntimeException e) {
            // the connection was never usable
        }
    }

    /** Up to 8 letters and digits of the run id, as the container's name shows it. */
    static String runTag(String runId) {
        String tag = runId.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT);
        return tag.isEmpty() ? "run" : tag.substring(0, Math.min(8, tag.length()));
    }

    private static String shortId(String id) {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    /** The API's own answer (a DockerException's message is the HTTP status and body), one line. */
    private static String describe(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().equals(
                String.valueOf(cause.getCause()))) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return Text.quote(message.strip(), 500);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
