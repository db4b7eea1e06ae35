package dev.mlops.serving.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.ServerProcess;
import dev.mlops.testing.Http200;
import dev.mlops.testing.InstancesBodies;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serving benchmark, not a test: packages nothing itself, starts the packaged server
 * ({@code target/quarkus-app/quarkus-run.jar}) on a bundle of the published best parameters (200 trees,
 * max_depth 10, min_samples_split 5) and loads it like the reference's {@code serve_bench.sh}:
 * {@code wrk -t2 -c16 -d30s --latency} with the reference's {@code wrk_post.lua}, bodies
 * {@code {"instances": [records of the 9 preprocessed columns]}} of test-split rows, 1 and 100 records per request.
 * Prints requests/s, p50/p99 and the server's CPU time per request next to the reference's figures.
 *
 * <pre>
 *   ./mvnw -B -q -pl model-server package -DskipTests
 *   ./mvnw -B -q -pl model-server exec:java -Dbench.duration=30s
 * </pre>
 * System properties: {@code bench.duration} (30s), {@code bench.connections} (16), {@code bench.runs} (1),
 * {@code bench.jvm} (JVM options of the server, "-Xmx256m -XX:+UseSerialGC"). Without wrk on the PATH a
 * Java closed-loop generator with the same connection count stands in.
 */
public final class ServingBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path REFERENCE = Path.of("/work/shared/reference");

    private final Path module;
    private final Path out;
    private final String duration = System.getProperty("bench.duration", "30s");
    private final int connections = Integer.getInteger("bench.connections", 16);
    private final int runs = Integer.getInteger("bench.runs", 1);
    private final String jvmOptions = System.getProperty("bench.jvm", "-Xmx256m -XX:+UseSerialGC");

    private ServingBenchmark(Path module) {
        this.module = module;
        this.out = module.resolve("target/bench");
    }

    public static void main(String[] args) throws Exception {
        Path module = Path.of(System.getProperty("bench.module", ".")).toAbsolutePath().normalize();
        if (!Files.exists(module.resolve("target/quarkus-app/quarkus-run.jar"))) {
            module = module.resolve("model-server");
        }
        new ServingBenchmark(module).run();
    }

    private void run() throws Exception {
        Path jar = module.resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw -B -q -pl model-server package -DskipTests first");
        }
        Files.createDirectories(out);
        Model model = trainPublishedBestModel();
        Map<String, Path> bodies = new LinkedHashMap<>();
        bodies.put("single", writeBodies("bodies-single.jsonl", model.featureRecords(), 1, model.featureRecords().size()));
        bodies.put("batch100", writeBodies("bodies-batch100.jsonl", model.featureRecords(), 100, 16));
        bodies.put("raw-single", writeBodies("bodies-raw-single.jsonl", model.rawRecords(), 1, model.rawRecords().size()));

        int port = Ports.free();
        long started = System.nanoTime();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(jvmOptions.trim().split("\\s+")));
        command.addAll(List.of("-jar", jar.toString()));
        Path log = out.resolve("server.log");
        Files.deleteIfExists(log);
        URI base = URI.create("http://127.0.0.1:" + port);
        HttpClient http = HttpClient.newHttpClient();
        ServerProcess server = ServerProcess.start("model-server", command, Map.of("QUARKUS_HTTP_PORT",
                Integer.toString(port), "MLOPS_MODEL_URI", "file:" + model.folder()), Path.of("").toAbsolutePath(), log,
                () -> Http200.answers(http, base.resolve("/ping")), Duration.ofSeconds(90), true);
        try {
            double startSeconds = (System.nanoTime() - started) / 1e9;
            checkPredictions(base, model);
            Map<String, Result> results = new LinkedHashMap<>();
            for (Path warmUp : bodies.values()) {
                load(base, warmUp, "5s", connections, server);  // JIT warm-up on every body kind, not counted
            }
            for (Map.Entry<String, Path> config : bodies.entrySet()) {
                for (int run = 1; run <= runs; run++) {
                    Result result = measure(base, config.getValue(), duration, connections, server,
                            config.getKey().equals("batch100") ? 100 : 1);
                    results.put(config.getKey() + (runs > 1 ? "-run" + run : ""), result);
                }
            }
            Result latencyOnly = measure(base, bodies.get("single"), duration, 1, server, 1);
            results.put("single-1-connection", latencyOnly);
            long rssKb = rssKb(server.pid());
            report(results, startSeconds, rssKb);
        } finally {
            server.stop(Duration.ofSeconds(10));
        }
    }

    record Model(Path folder, ModelBundle bundle, List<Map<String, Object>> featureRecords,
                 List<Map<String, Object>> rawRecords, CsvTable testRows) {
    }

    /** The published workflow: preprocessor fitted on all rows, 80/20 split with seed 42, the grid search's best params. */
    private Model trainPublishedBestModel() throws IOException {
        CsvTable raw = CsvTable.parse(Files.readAllBytes(module.resolve("../data/titanic.csv")));
        Preprocessor preprocessor = Preprocessor.fit(raw, PipelineSpec.defaults("file:/unused").features());
        TrainTestSplit split = TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42);
        CsvTable train = rows(raw, split.train());
        CsvTable test = rows(raw, split.test());
        List<String> classes = Labels.classLabels(raw.column("Survived"));
        long start = System.nanoTime();
        RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(train),
                Labels.encode(train.column("Survived"), classes), new ForestParams(200, 10, 5, 1), 42);
        System.out.printf(Locale.ROOT, "trained 200 trees (max_depth 10, min_samples_split 5) on %d rows in %.1f s%n",
                train.rows().size(), (System.nanoTime() - start) / 1e9);
        ModelBundle bundle = ModelBundle.of(forest, preprocessor, "Survived", classes,
                Map.of("run_id", "bench", "model_name", "titanic-rf"));
        Path folder = out.resolve("model");
        bundle.writeTo(folder);

        double[][] x = preprocessor.transform(test);
        List<String> features = bundle.signature().featureColumns();
        List<Map<String, Object>> featureRecords = new ArrayList<>();
        List<Map<String, Object>> rawRecords = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int j = 0; j < features.size(); j++) {
                record.put(features.get(j), x[i][j]);
            }
            featureRecords.add(record);
            Map<String, Object> passenger = new LinkedHashMap<>();
            for (int j = 0; j < test.header().size(); j++) {
                String value = test.rows().get(i).get(j);
                passenger.put(test.header().get(j), value.matches("-?[0-9.]+") ? (Object) Double.parseDouble(value) : value);
            }
            passenger.remove("Survived");
            rawRecords.add(passenger);
        }
        return new Model(folder, bundle, featureRecords, rawRecords, test);
    }

    private Path writeBodies(String name, List<Map<String, Object>> records, int perRequest, int count) throws IOException {
        return InstancesBodies.write(out.resolve(name), records, perRequest, count);
    }

    /** The served predictions of every test row, in three formats, equal the in-process ones. */
    private void checkPredictions(URI base, Model model) throws Exception {
        ModelBundle bundle = model.bundle();
        List<String> expected = Labels.decode(bundle.predict(bundle.preprocessor().transform(model.testRows())),
                bundle.classLabels());
        String instances = JSON.writeValueAsString(Map.of("instances", model.featureRecords()));
        String raw = JSON.writeValueAsString(Map.of("dataframe_records", model.rawRecords()));
        String csv = new String(model.testRows().toBytes());
        for (String[] request : new String[][] {{instances, "application/json"}, {raw, "application/json"}, {csv, "text/csv"}}) {
            HttpResponse<String> response = post(base, request[0], request[1]);
            List<String> served = new ArrayList<>();
            JSON.readTree(response.body()).get("predictions").forEach(p -> served.add(p.asText()));
            if (response.statusCode() != 200 || !served.equals(expected)) {
                throw new IllegalStateException("served predictions differ from in-process ones: " + response.body());
            }
        }
        System.out.printf("served predictions of all %d test rows equal the in-process ones (instances, raw records, CSV)%n",
                expected.size());
    }

    record Result(double requestsPerSecond, int rowsPerRequest, double p50, double p90, double p99, double max,
                  long requests, long errors, double cpuMsPerRequest, int connections) {
    }

    private Result measure(URI base, Path bodies, String duration, int connections, ServerProcess server, int rows) throws Exception {
        long cpuBefore = cpuNanos(server);
        JsonNode summary = load(base, bodies, duration, connections, server);
        long cpuAfter = cpuNanos(server);
        long requests = summary.get("requests").asLong();
        JsonNode errors = summary.get("errors");
        long errorCount = 0;
        for (JsonNode e : errors) {
            errorCount += e.asLong();
        }
        JsonNode latency = summary.get("latency_ms");
        return new Result(summary.get("requests_per_s").asDouble(), rows, latency.get("p50").asDouble(),
                latency.get("p90").asDouble(), latency.get("p99").asDouble(), latency.get("max").asDouble(), requests,
                errorCount, requests == 0 ? 0 : (cpuAfter - cpuBefore) / 1e6 / requests, connections);
    }

    /** One load run: wrk with the reference's script when installed, else the Java generator. Returns wrk's summary JSON. */
    private JsonNode load(URI base, Path bodies, String duration, int connections, ServerProcess server) throws Exception {
        if (!server.isAlive()) {
            throw new IllegalStateException("the server died; see " + out.resolve("server.log"));
        }
        if (wrkInstalled()) {
            ProcessBuilder builder = new ProcessBuilder("wrk", "-t" + Math.min(2, connections), "-c" + connections,
                    "-d" + duration, "--latency", "-s", REFERENCE.resolve("wrk_post.lua").toString(), base + "/invocations")
                    .redirectErrorStream(true);
            builder.environment().put("WRK_BODIES", bodies.toString());
            Process wrk = builder.start();
            wrk.getOutputStream().close();
            String output = new String(wrk.getInputStream().readAllBytes());
            wrk.waitFor();
            String line = output.lines().filter(l -> l.startsWith("WRK_JSON ")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("wrk printed no summary:\n" + output));
            return JSON.readTree(line.substring("WRK_JSON ".length()));
        }
        return ClosedLoopLoad.run(base.resolve("/invocations"), Files.readAllLines(bodies), parseSeconds(duration), connections);
    }

    private boolean wrkInstalled() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    private void report(Map<String, Result> results, double startSeconds, long rssKb) throws IOException {
        JsonNode reference = JSON.readTree(REFERENCE.resolve("results/serving-summary.json").toFile()).get("configs");
        Map<String, String> referenceConfig = Map.of("single", "w1-single", "batch100", "w1-batch100",
                "raw-single", "w1-single", "single-1-connection", "w1-single");
        System.out.printf(Locale.ROOT, "%nmodel-server (JVM %s): started and answered /ping in %.1f s; RSS after the runs %d MB%n",
                jvmOptions, startSeconds, rssKb / 1024);
        System.out.printf(Locale.ROOT, "%-22s %5s %10s %10s %8s %8s %8s %9s %7s | %-28s%n", "config", "conns", "req/s", "rows/s",
                "p50 ms", "p90 ms", "p99 ms", "CPU ms/req", "errors", "reference 1 worker: req/s p50 p99 CPU (x)");
        ObjectNode saved = JSON.createObjectNode();
        for (Map.Entry<String, Result> entry : results.entrySet()) {
            Result r = entry.getValue();
            JsonNode ref = reference.get(referenceConfig.get(entry.getKey().replaceAll("-run\\d+$", "")));
            double refRps = ref.get("requests_per_s").get("median").asDouble();
            System.out.printf(Locale.ROOT, "%-22s %5d %10.0f %10.0f %8.2f %8.2f %8.2f %9.3f %7d | %7.1f %7.1f %7.1f %5.2f (%.0fx)%n",
                    entry.getKey(), r.connections(), r.requestsPerSecond(), r.requestsPerSecond() * r.rowsPerRequest(),
                    r.p50(), r.p90(), r.p99(), r.cpuMsPerRequest(), r.errors(), refRps,
                    ref.get("p50_ms").get("median").asDouble(), ref.get("p99_ms").get("median").asDouble(),
                    ref.get("server_cpu_ms_per_request").get("median").asDouble(), r.requestsPerSecond() / refRps);
            saved.set(entry.getKey(), JSON.valueToTree(r));
        }
        System.out.println("(reference: sklearn_serve.py, FastAPI + uvicorn, 1 worker, medians of four 30 s runs from "
                + REFERENCE.resolve("results/serving-summary.json") + "; raw-single sends raw passenger records, the"
                + " reference only takes preprocessed ones; single-1-connection is one request at a time)");
        ObjectNode document = JSON.createObjectNode();
        document.put("setup", "wrk -t2 -c" + connections + " -d" + duration + " --latency -s wrk_post.lua (reference script),"
                + " bodies {\"instances\": [records of the 9 preprocessed columns]} of test-split rows; model 200 trees,"
                + " max_depth 10, min_samples_split 5; server JVM options " + jvmOptions);
        document.put("startup_seconds", startSeconds);
        document.put("rss_mb_after_runs", rssKb / 1024);
        document.set("configs", saved);
        Files.writeString(out.resolve("serving-results.json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(document));
        System.out.println("results written to " + out.resolve("serving-results.json"));
    }

    private static HttpResponse<String> post(URI base, String body, String contentType) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/invocations"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long cpuNanos(ServerProcess server) {
        return server.handle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    private static long rssKb(long pid) {
        try {
            return Files.readAllLines(Path.of("/proc/" + pid + "/status")).stream().filter(l -> l.startsWith("VmRSS:"))
                    .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
        } catch (IOException e) {
            return 0;
        }
    }

    private static CsvTable rows(CsvTable table, int[] indexes) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indexes) {
            rows.add(table.rows().get(i));
        }
        return new CsvTable(table.header(), rows);
    }

    static double parseSeconds(String duration) {
        String d = duration.trim().toLowerCase(Locale.ROOT);
        if (d.endsWith("m")) {
            return Double.parseDouble(d.substring(0, d.length() - 1)) * 60;
        }
        return Double.parseDouble(d.endsWith("s") ? d.substring(0, d.length() - 1) : d);
    }
}
