package dev.mlops.bench;

import dev.mlops.cli.Folders;
import dev.mlops.cli.Mlops;
import dev.mlops.cli.ScratchStack;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.testing.Http200;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The platform being measured: the stack a user started with {@code ./mlops up} when its tracking-svc answers,
 * else a scratch stack started here as {@code ./mlops up} does (the same code, on free ports, with its own state
 * folder; {@code up} also starts the image registry and podman when they are installed and builds model-server's
 * image), stopped with {@code ./mlops down --purge} at the end.
 */
final class BenchStack implements AutoCloseable {

    private final URI trackingUrl;
    private final Optional<String> apiToken;
    private final String kafkaBootstrap;
    private final String description;
    private final Mlops ownStack;
    private final PrintStream stackLog;
    private final Path state;
    private final Map<String, String> env;
    private final double firstUpSeconds;

    private BenchStack(URI trackingUrl, Optional<String> apiToken, String kafkaBootstrap, String description,
                       Mlops ownStack, PrintStream stackLog, Path state, Map<String, String> env,
                       double firstUpSeconds) {
        this.trackingUrl = trackingUrl;
        this.apiToken = apiToken;
        this.kafkaBootstrap = kafkaBootstrap;
        this.description = description;
        this.ownStack = ownStack;
        this.stackLog = stackLog;
        this.state = state;
        this.env = Map.copyOf(env);
        this.firstUpSeconds = firstUpSeconds;
    }

    static BenchStack attachOrStart(Path home, Map<String, String> env, boolean forceOwn, List<String> serviceConfig,
                                    PrintStream out) throws Exception {
        URI existing = trackingUrl(env);
        if (!forceOwn && answers(existing)) {
            String description = "the running stack at " + existing + " (./mlops up): its runs get bench runs"
                    + " added and its served model replaced";
            return new BenchStack(existing, apiToken(home, env), kafkaBootstrap(env), description, null, null, null,
                    env, Double.NaN);
        }
        return start(home, env, serviceConfig, out);
    }

    private static BenchStack start(Path home, Map<String, String> inherited, List<String> serviceConfig,
                                    PrintStream out) throws Exception {
        Path target = home.resolve("bench/target");
        Path state = target.resolve("bench-state");
        Map<String, String> env = ScratchStack.environment(home, state, inherited, "bench");
        Files.createDirectories(state);

        List<String> config = new ArrayList<>(serviceConfig);
        String imageNote = "image-svc builds FROM the model-server image ./mlops up assembled, pushed to its registry"
                + " when docker-registry is installed";
        // services run in the state folder, and Quarkus reads $PWD/config/application.properties
        Files.write(Files.createDirectories(state.resolve("config")).resolve("application.properties"), config);
        if (!serviceConfig.isEmpty()) {
            imageNote += "; services configured with " + String.join(", ", serviceConfig);
        }
        Path log = target.resolve("bench-stack.log");
        out.println("no stack answers: starting a scratch one (./mlops up on free ports; log " + log + ")");
        long start = System.nanoTime();
        PrintStream stackLog = new PrintStream(Files.newOutputStream(log), true);
        Mlops mlops = new Mlops(home, env, stackLog, stackLog, false);
        if (mlops.execute("up") != 0) {
            mlops.execute("down", "--purge");
            stackLog.close();
            throw new IllegalStateException("./mlops up failed; see " + log);
        }
        double upSeconds = (System.nanoTime() - start) / 1e9;
        out.printf("scratch stack up in %.0f s; %s%n", upSeconds, imageNote);
        return new BenchStack(trackingUrl(env), apiToken(home, env), kafkaBootstrap(env),
                "a scratch stack started by the benchmark (" + imageNote + ")", mlops, stackLog, state, env, upSeconds);
    }

    /** Whether the benchmark started this stack (and so may stop and start it again). */
    boolean own() {
        return ownStack != null;
    }

    /** The scratch stack's state folder (pids/, logs/); only for {@link #own()}. */
    Path state() {
        return state;
    }

    /** The environment {@code ./mlops} runs with for this stack (its ports). */
    Map<String, String> env() {
        return env;
    }

    /** How long the first {@code ./mlops up} of the scratch stack took: a fresh state folder, NaN when attached. */
    double firstUpSeconds() {
        return firstUpSeconds;
    }

    /** {@code ./mlops down} then {@code ./mlops up} of the scratch stack (its data kept); false when up failed. */
    boolean stopAndStart(Runnable afterDown) {
        ownStack.execute("down");
        afterDown.run();
        return ownStack.execute("up") == 0;
    }

    /**
     * Where and with what another train-svc replica of this stack runs: the scratch stack's folder (its
     * {@code config/application.properties}) and the environment ./mlops gives train-svc, on {@code httpPort}.
     * Empty for a running stack, whose S3 credentials the benchmark does not know.
     */
    Optional<Map.Entry<Path, Map<String, String>>> trainReplica(int httpPort) {
        if (ownStack == null) {
            return Optional.empty();
        }
        Map<String, String> replica = new java.util.LinkedHashMap<>();
        replica.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        replica.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        replica.put("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrap);
        replica.put("MLOPS_S3_ENDPOINT", "http://127.0.0.1:" + env.get("MLOPS_S3_PORT"));
        replica.put("MLOPS_S3_ACCESS_KEY", env.get("MLOPS_S3_ACCESS_KEY"));
        replica.put("MLOPS_S3_SECRET_KEY", env.get("MLOPS_S3_SECRET_KEY"));
        replica.put("MLOPS_TRACKING_URL", trackingUrl.toString());
        apiToken.ifPresent(token -> replica.put("MLOPS_API_TOKEN", token));
        return Optional.of(Map.entry(state, replica));
    }

    URI trackingUrl() {
        return trackingUrl;
    }

    TrackingClient tracking() {
        return new TrackingClient(trackingUrl, apiToken);
    }

    /** The tracking API's bearer token, if it has one. */
    Optional<String> apiToken() {
        return apiToken;
    }

    /** A stage service's base URL: port MLOPS_<STAGE>_PORT of this stack's environment, else {@code defaultPort}. */
    URI serviceUrl(String stage, int defaultPort) {
        return URI.create("http://127.0.0.1:" + env.getOrDefault("MLOPS_" + stage.toUpperCase(java.util.Locale.ROOT)
                + "_PORT", String.valueOf(defaultPort)));
    }

    String kafkaBootstrap() {
        return kafkaBootstrap;
    }

    String description() {
        return description;
    }

    @Override
    public void close() {
        if (ownStack != null) {
            ownStack.execute("down");
            keepLogs();
            ownStack.execute("down", "--purge");
        }
        if (stackLog != null) {
            stackLog.close();
        }
    }

    /** The scratch stack's logs outlive it, in bench/target/bench-logs, for looking into a figure afterwards. */
    private void keepLogs() {
        Path logs = state.resolve("logs");
        Path kept = state.resolveSibling("bench-logs");
        Folders.deleteRecursively(kept);
        try (Stream<Path> files = Files.exists(logs) ? Files.list(logs) : Stream.empty()) {
            Files.createDirectories(kept);
            for (Path log : files.filter(Files::isRegularFile).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()));
            }
        } catch (IOException e) {
            stackLog.println("could not keep the logs: " + e);
        }
    }

    /** Where {@code ./mlops} with this environment finds tracking-svc and Kafka (its defaults: ports 8080 and 9092). */
    private static URI trackingUrl(Map<String, String> env) {
        return URI.create(Optional.ofNullable(env.get("MLOPS_TRACKING_URL")).filter(s -> !s.isBlank())
                .orElse("http://127.0.0.1:" + env.getOrDefault("MLOPS_TRACKING_PORT", "8080")));
    }

    private static String kafkaBootstrap(Map<String, String> env) {
        return "127.0.0.1:" + env.getOrDefault("MLOPS_KAFKA_PORT", "9092");
    }

    /** MLOPS_API_TOKEN, else what {@code ./mlops token} prints for the running stack. */
    private static Optional<String> apiToken(Path home, Map<String, String> env) {
        String configured = env.get("MLOPS_API_TOKEN");
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream quiet = new PrintStream(PrintStream.nullOutputStream());
        int exit = new Mlops(home, env, new PrintStream(printed, true), quiet, false).execute("token");
        String token = printed.toString().trim();
        return exit == 0 && !token.isEmpty() ? Optional.of(token) : Optional.empty();
    }

    private static boolean answers(URI tracking) {
        return Http200.answers(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build(),
                tracking.resolve("/q/health/ready"));
    }
}
