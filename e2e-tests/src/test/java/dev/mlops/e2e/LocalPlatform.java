package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.cli.Mlops;
import dev.mlops.cli.ScratchStack;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.model.bundle.ModelBundle;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole platform as a user starts it: {@code ./mlops up} (in-process, the same code the script runs) on
 * free ports with a scratch state folder, once for all e2e tests, and {@code ./mlops down --purge} at the end.
 * Every service runs from its packaged application, as its own process.
 */
public class LocalPlatform implements BeforeAllCallback {

    static final Path HOME = Path.of("..").toAbsolutePath().normalize();
    static final List<String> SERVICES = List.of("tracking-svc", "ingest-svc", "preprocess-svc", "train-svc",
            "evaluate-svc", "image-svc", "deploy-svc");

    private static Platform platform;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Platform.class, k -> start(), Platform.class);
    }

    static Platform platform() {
        return platform;
    }

    private static synchronized Platform start() {
        Path state = HOME.resolve("e2e-tests/target/e2e-state");
        Map<String, String> env = ScratchStack.environment(HOME, state, System.getenv(), "e2e");
        Mlops mlops = new Mlops(HOME, env, System.out, System.err, false);
        assertThat(mlops.execute("up")).as("./mlops up").isZero();
        platform = new Platform(mlops, env, state);
        return platform;
    }

    /** The running platform; closing it is {@code ./mlops down --purge}. */
    public record Platform(Mlops mlops, Map<String, String> env, Path state)
            implements ExtensionContext.Store.CloseableResource, AutoCloseable {

        public TrackingClient tracking() {
            return new TrackingClient(URI.create("http://127.0.0.1:" + env.get("MLOPS_TRACKING_PORT")),
                    Optional.of(env.get("MLOPS_API_TOKEN")));
        }

        /** The Docker Engine API {@code ./mlops up} gave deploy-svc: its podman service's socket. */
        public String dockerHost() {
            return "unix://" + state.resolve("podman/podman.sock").toAbsolutePath();
        }

        public ArtifactStore artifacts() {
            return new ArtifactStore(new S3Settings("http://127.0.0.1:" + env.get("MLOPS_S3_PORT"),
                    env.get("MLOPS_S3_ACCESS_KEY"), env.get("MLOPS_S3_SECRET_KEY"), S3Settings.DEFAULT_BUCKET,
                    "us-east-1"));
        }

        /** The run's artifacts, name to URI. */
        public Map<String, String> artifacts(JsonNode run) {
            Map<String, String> artifacts = new HashMap<>();
            run.path("artifacts").fields().forEachRemaining(e -> artifacts.put(e.getKey(), e.getValue().asText()));
            return artifacts;
        }

        /** The model bundle a run stored, loaded as model-server and deploy-svc load it. */
        public ModelBundle bundle(Map<String, String> artifacts) {
            Map<String, byte[]> files = new HashMap<>();
            for (String file : ModelBundle.REQUIRED_FILES) {
                files.put(file, artifacts().read(URI.create(artifacts.get(file))));
            }
            return ModelBundle.fromFiles(files);
        }

        public CsvTable csv(Map<String, String> artifacts, String name) {
            return CsvTable.parse(artifacts().read(URI.create(artifacts.get(name))));
        }

        /** The stages of the run whose latest attempt COMPLETED, in chain order. */
        public List<String> completedStages(JsonNode run) {
            List<String> completed = new ArrayList<>();
            run.path("stages").forEach(stage -> {
                if (stage.path("status").asText().equals("COMPLETED")) {
                    completed.add(stage.path("stage").asText());
                }
            });
            return completed;
        }

        /** Starts a run of {@code spec} and requires it to succeed within 5 minutes. */
        public JsonNode runToSuccess(String spec) {
            String runId = tracking().startPipeline(spec);
            JsonNode run = awaitEnd(runId, Duration.ofMinutes(5));
            assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
            return run;
        }

        /** The pid {@code ./mlops up} recorded for a server or service ({@code kafka}, {@code train-svc}...). */
        public long pid(String component) {
            Properties p = new Properties();
            try (Reader in = Files.newBufferedReader(state.resolve("pids").resolve(component + ".pid"))) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Long.parseLong(p.getProperty("pid").trim());
        }

        /** SIGKILL, as a crash or the OOM killer does: no shutdown hook, no offset commit; returns once it is gone. */
        public void kill(String component) {
            ProcessHandle process = ProcessHandle.of(pid(component)).orElseThrow();
            process.destroyForcibly();
            process.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        }

        /** {@code ./mlops up}, required to succeed; what it printed. */
        public String up() {
            ByteArrayOutputStream printed = new ByteArrayOutputStream();
            int exit = new Mlops(HOME, env, new PrintStream(printed, true, StandardCharsets.UTF_8), System.err, false)
                    .execute("up");
            String output = printed.toString(StandardCharsets.UTF_8);
            System.out.print(output);
            assertThat(exit).as("./mlops up: %s", output).isZero();
            return output;
        }

        /** What each service's {@code /q/health} (liveness and readiness) answers, by service name. */
        public Map<String, Integer> serviceHealth() {
            Map<String, Integer> health = new TreeMap<>();
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            for (String service : SERVICES) {
                String port = env.get("MLOPS_" + service.replace("-svc", "").toUpperCase(Locale.ROOT) + "_PORT");
                try {
                    health.put(service, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                            + "/q/health")).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode());
                } catch (IOException e) {
                    health.put(service, 0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return health;
        }

        /** The latest attempt of the run's {@code name} stage, or a missing node. */
        public static JsonNode stage(JsonNode run, String name) {
            for (JsonNode stage : run.path("stages")) {
                if (stage.path("stage").asText().equals(name)) {
                    return stage;
                }
            }
            return MissingNode.getInstance();
        }

        /**
         * The run SUCCEEDED with one result per stage: each stage COMPLETED in one attempt (no stage started again) and
         * one model version registered by the run (no duplicate registration after a retried call).
         */
        public void assertSucceededOnce(String runId, JsonNode run) {
            assertThat(run.path("status").asText()).as("run %s: %s", runId, run).isEqualTo("SUCCEEDED");
            for (JsonNode stage : run.path("stages")) {
                assertThat(stage.path("attempts")).as("attempts of %s in %s", stage.path("stage"), run).hasSize(1);
                assertThat(stage.path("status").asText()).isEqualTo("COMPLETED");
            }
            String model = run.path("spec").path("model").path("name").asText();
            List<JsonNode> versionsOfThisRun = new ArrayList<>();
            tracking().get("/models/" + model + "/versions").path("versions").forEach(version -> {
                if (version.path("runId").asText().equals(runId)) {
                    versionsOfThisRun.add(version);
                }
            });
            assertThat(versionsOfThisRun).as("model versions registered by run %s", runId).hasSize(1);
        }

        /** Polls the run (every 100 ms, for up to 2 minutes) until its {@code stage} has {@code status}. */
        public void awaitStage(String runId, String stage, String status) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(100))
                    .until(() -> stage(tracking().run(runId), stage).path("status").asText().equals(status));
        }

        /** Polls the run until it is no longer RUNNING. */
        public JsonNode awaitEnd(String runId, Duration timeout) {
            long deadline = System.nanoTime() + timeout.toNanos();
            JsonNode run = tracking().run(runId);
            while (run.path("status").asText().equals("RUNNING") && System.nanoTime() < deadline) {
                sleep();
                run = tracking().run(runId);
            }
            return run;
        }

        @Override
        public void close() {
            mlops.execute("down", "--purge");
        }

        private static void sleep() {
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    static double[][] features(CsvTable table) {
        return table.rows().stream().map(row -> row.stream().mapToDouble(Double::parseDouble).toArray())
                .toArray(double[][]::new);
    }
}
