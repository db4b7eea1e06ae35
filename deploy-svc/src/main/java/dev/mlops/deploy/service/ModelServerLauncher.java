package dev.mlops.deploy.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.jvm.DeferredOptimization;
import dev.mlops.common.jvm.NativeHeapTrim;
import dev.mlops.common.jvm.NoPerfData;
import dev.mlops.runtime.stage.StageFailure;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Starts the local model-server process ({@code java -jar quarkus-run.jar}) on a given address, finds one an earlier
 * deploy-svc left running, and stops it. A model-server outlives the deploy-svc that started it (its own session, no
 * exit hook), so a restarted deploy-svc finds it still serving.
 */
public class ModelServerLauncher {

    static final String DEFAULT_JAR = "model-server/target/quarkus-app/quarkus-run.jar";

    /** util-linux' setsid: the model-server gets a session of its own, so no signal to deploy-svc's group reaches it. */
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    /** A running model-server: its port, process and log. */
    public record ModelServer(int port, ProcessHandle process, Path log) {

        public void stop(Duration grace) {
            ModelServerLauncher.stop(process, grace);
        }
    }

    private final Optional<Path> configuredJar;
    private final Path logDir;
    private final List<String> javaOptions;
    private final Duration startTimeout;
    private final long maxRequestBytes;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** {@code maxRequestBytes}: mlops.serving.max-request-size, passed on so that the model-server applies the front's limit. */
    public ModelServerLauncher(Optional<Path> serverJar, Path logDir, String javaOptions, Duration startTimeout,
                               long maxRequestBytes) {
        this.configuredJar = serverJar;
        this.logDir = logDir;
        this.javaOptions = javaOptions.isBlank() ? List.of() : Arrays.asList(javaOptions.trim().split("\\s+"));
        this.startTimeout = startTimeout;
        this.maxRequestBytes = maxRequestBytes;
    }

    public Duration startTimeout() {
        return startTimeout;
    }

    /**
     * Starts a model-server listening on {@code host:port} with {@code env} (MLOPS_MODEL_*, MLOPS_S3_*...) and waits
     * until it answers {@code /health} (it does with or without a model).
     */
    public ModelServer start(String host, int port, Map<String, String> env) {
        Path jar = serverJar();
        List<String> command = new ArrayList<>();
        if (Files.isExecutable(SETSID)) {
            command.add(SETSID.toString());
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(NativeHeapTrim.options());
        command.addAll(DeferredOptimization.options());
        command.addAll(NoPerfData.options());
        command.addAll(javaOptions);
        command.add("-jar");
        command.add(jar.toString());
        Path log = logDir.resolve("model-server-" + port + ".log");
        Process process;
        try {
            Files.createDirectories(logDir);
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            builder.environment().put("MLOPS_SERVING_MAX_REQUEST_SIZE", Long.toString(maxRequestBytes));
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", host);
            process = builder.start();
        } catch (IOException e) {
            throw new StageFailure("could not start model-server (" + jar + "): " + e.getMessage(), e);
        }
        ModelServer server = new ModelServer(port, process.toHandle(), log);
        awaitListening(server, host, process);
        return server;
    }

    private void awaitListening(ModelServer server, String host, Process process) {
        long deadline = System.nanoTime() + startTimeout.toNanos();
        URI health = URI.create("http://" + host + ":" + server.port() + "/health");
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new StageFailure("model-server exited with code " + process.exitValue() + " before answering "
                        + health + "; its log (" + server.log() + ") ends with:\n" + tail(server.log()));
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.stop(Duration.ofSeconds(5));
                throw new StageFailure("interrupted while waiting for model-server", e);
            }
            sleep(100);
        }
        server.stop(Duration.ofSeconds(5));
        throw new StageFailure("model-server did not answer " + health + " within "
                + KubernetesTarget.seconds(startTimeout) + " (mlops.deploy.local.start-timeout); its log (" + server.log()
                + ") ends with:\n" + tail(server.log()));
    }

    /** The model-server process an earlier deploy-svc recorded (pid, port, log), when it still runs. */
    public Optional<ModelServer> find(JsonNode record) {
        if (!record.path("pid").canConvertToLong()) {
            return Optional.empty();
        }
        return ProcessHandle.of(record.path("pid").asLong()).filter(ProcessHandle::isAlive)
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                .map(p -> new ModelServer(record.path("port").asInt(), p, Path.of(record.path("log").asText(""))));
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    static void stop(ProcessHandle process, Duration grace) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            process.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
        }
    }

    /** The configured jar, else model-server/target/quarkus-app/quarkus-run.jar in the working folder or a parent. */
    Path serverJar() {
        if (configuredJar.isPresent()) {
            if (!Files.isRegularFile(configuredJar.get())) {
                throw new StageFailure("mlops.deploy.local.server-jar " + configuredJar.get() + " does not exist: build"
                        + " model-server (./mvnw -pl model-server package)");
            }
            return configuredJar.get();
        }
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(DEFAULT_JAR);
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new StageFailure("model-server is not built: no " + DEFAULT_JAR + " in " + start + " or its parents;"
                + " build it (./mvnw -pl model-server package) or set mlops.deploy.local.server-jar. A deploy-svc that"
                + " runs in a container (./mlops up --containers, Kubernetes) has no model-server to start: use"
                + " deploy.target container (or kubernetes), which runs the image the image stage built");
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
