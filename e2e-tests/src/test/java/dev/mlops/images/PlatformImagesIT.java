package dev.mlops.images;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;
import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The images for real: the serving base built from Debian's mirror, loaded into podman (runc) and run; the service
 * base beside it with the modules the services load (and model-server's without them); the serving image started
 * with a model bundle mounted and asked for predictions; the same pushed to a local docker-registry, and a second
 * build that reuses the cache. Prints the sizes and times it measured. In e2e-tests because it builds the images
 * of the packaged services (infra/images itself is built before them).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PlatformImagesIT {

    private static final Path ROOT = Path.of(System.getProperty("mlops.repository.root", "..")).toAbsolutePath().normalize();
    private static final Path WORK = Path.of("target/images-test").toAbsolutePath();
    private static final Path CACHE = WORK.resolve("cache");
    private static final Path PROBE = Path.of("target/test-classes").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String SERVING_BASE = "mlops/jre:17-serving";
    private static final String SERVICE_BASE = "mlops/jre:17-service";
    /** Extends java.rmi.RemoteException: tracking-svc's transactions load it at start. */
    private static final String NEEDS_RMI = "jakarta.transaction.TransactionRequiredException";
    /** Refers to java.beans: train-svc's grid search loads it. */
    private static final String NEEDS_BEANS = "smile.data.DataFrameImpl";

    private static PodmanService podman;
    private static DockerRegistry registry;
    private static String version;
    private static final List<String> report = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        Folders.deleteRecursively(WORK);
        Files.createDirectories(WORK);
        if (!PodmanService.isInstalled()) {
            throw new IllegalStateException("podman is needed for the image tests: " + PodmanService.INSTALL_HINT);
        }
        registry = DockerRegistry.start(WORK.resolve("registry"));
        podman = PodmanService.start(WORK.resolve("podman"), List.of(registry.address()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (podman != null) {
            run(60, "rmi", "-f", "--ignore", SERVING_BASE, SERVICE_BASE, "mlops/model-server:" + version,
                    "mlops/model-server:latest", "mlops/tracking-svc:" + version, "mlops/tracking-svc:latest");
            podman.close();
        }
        if (registry != null) {
            registry.close();
        }
        System.out.println("\n== images: measured ==");
        report.forEach(line -> System.out.println("  " + line));
    }

    @Test
    @Order(1)
    void theBaseFromDebianRunsJava17WithATrustStore() throws Exception {
        List<String> progress = new ArrayList<>();
        long start = System.nanoTime();
        PlatformImages images = new PlatformImages(ROOT, CACHE, progress::add);
        version = images.projectVersion();
        String serving = images.servingBase(Optional.empty());
        double cold = seconds(start);

        assertThat(progress).anyMatch(line -> line.startsWith("jlink: "));
        assertThat(serving).isEqualTo("tar:" + CACHE.resolve("images/model-server.tar"))
                .isEqualTo(images.servingBaseLocation(Optional.empty()));
        Path base = baseTarball("serving");
        report.add(String.format("cold build (Debian downloads, jlink, base, model-server): %.1f s", cold));
        report.add(SERVING_BASE + ": " + size(ImageTarball.read(base)));

        assertThat(run(120, "load", "-i", base.toString())).contains(SERVING_BASE);
        String javaVersion = run(60, "run", "--rm", SERVING_BASE, "java", "-version");
        assertThat(javaVersion).contains("openjdk version \"17.").contains("Debian");

        String trust = run(60, "run", "--rm", "-v", PROBE + ":/probe:ro", SERVING_BASE,
                "java", "-cp", "/probe", TrustStoreProbe.class.getName());
        int issuers = Integer.parseInt(trust.replaceAll("(?s).*trusted issuers: (\\d+).*", "$1"));
        assertThat(issuers).as(trust).isGreaterThan(100);
        report.add("base trust store: " + issuers + " CAs; " + javaVersion.lines().findFirst().orElse(""));
    }

    @Test
    @Order(2)
    void theServicesGetTheModulesTheyLoadAndModelServerStaysWithout() throws Exception {
        List<String> progress = new ArrayList<>();
        BuiltImage tracking = new PlatformImages(ROOT, CACHE, progress::add)
                .image("tracking-svc", Optional.empty(), WORK.resolve("images"));
        assertThat(progress).anyMatch(line -> line.startsWith("jlink: ") && line.contains("(service)"));
        Path serviceBase = baseTarball("service");
        report.add(SERVICE_BASE + ": " + size(ImageTarball.read(serviceBase)));
        report.add("mlops/tracking-svc:" + version + ": " + size(ImageTarball.read(WORK.resolve("images/tracking-svc.tar"))));
        // both bases start with the same os layer: a registry or a node stores it once
        assertThat(ImageTarball.read(serviceBase).layers().get(0))
                .isEqualTo(ImageTarball.read(baseTarball("serving")).layers().get(0));

        run(120, "load", "-i", serviceBase.toString());
        List<String> serviceModules = run(60, "run", "--rm", SERVICE_BASE, "java", "--list-modules").lines()
                .map(line -> line.split("@")[0]).toList();
        List<String> servingModules = run(60, "run", "--rm", SERVING_BASE, "java", "--list-modules").lines()
                .map(line -> line.split("@")[0]).toList();
        assertThat(serviceModules).contains("java.rmi", "java.desktop").containsAll(servingModules);
        assertThat(servingModules).contains("java.base", "java.sql").doesNotContain("java.rmi", "java.desktop");

        // the classes that failed at run time: tracking-svc's own image loads its transaction classes, and the
        // service base the Smile class of train-svc's grid search; the serving base cannot (what the images did before)
        run(120, "load", "-i", tracking.reference().substring(4));
        assertThat(run(60, "run", "--rm", "--entrypoint", JreBaseImage.JAVA, "-v", PROBE + ":/probe:ro",
                "mlops/tracking-svc:" + version, "-cp", "/probe:/app/lib/main/*", ClassProbe.class.getName(), NEEDS_RMI))
                .contains("loaded " + NEEDS_RMI);
        assertThat(probe(SERVICE_BASE, "train-svc", NEEDS_BEANS)).contains("loaded " + NEEDS_BEANS);
        assertThat(probe(SERVING_BASE, "train-svc", NEEDS_BEANS))
                .contains("missing " + NEEDS_BEANS + ": java.lang.NoClassDefFoundError: java/beans/IntrospectionException");
        assertThat(probe(SERVING_BASE, "tracking-svc", NEEDS_RMI))
                .contains("missing " + NEEDS_RMI + ": java.lang.NoClassDefFoundError: java/rmi/RemoteException");
    }

    @Test
    @Order(3)
    void theServingImageAnswersWithAMountedBundle() throws Exception {
        Path tarball = CACHE.resolve("images/model-server.tar");
        ImageTarball image = ImageTarball.read(tarball);
        assertThat(image.layers()).hasSize(5); // os, jre, dependencies, quarkus, application
        assertThat(image.repoTags()).contains("mlops/model-server:" + version);
        report.add("mlops/model-server:" + version + ": " + size(image));
        assertThat(image.uncompressedBytes()).as("model-server image, unpacked").isLessThan(100_000_000L);

        run(120, "load", "-i", tarball.toString());
        Path bundle = bundle();
        int port = Ports.free();
        String name = "images-test-serving-" + port;
        long start = System.nanoTime();
        run(60, "run", "-d", "--name", name, "-p", "127.0.0.1:" + port + ":8090", "-v", bundle + ":/opt/model:ro",
                "mlops/model-server:" + version);
        try {
            double ready = awaitPing(port, name);
            report.add(String.format("model-server start-to-ready (podman run -d to /ping 200): %.2f s", ready));

            CsvTable raw = titanic();
            List<Map<String, Object>> records = new ArrayList<>();
            for (List<String> row : raw.rows().subList(0, 3)) {
                Map<String, Object> record = new LinkedHashMap<>();
                for (int j = 0; j < raw.header().size(); j++) {
                    record.put(raw.header().get(j), row.get(j));
                }
                records.add(record);
            }
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/invocations"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("instances", records))))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
            JsonNode predictions = JSON.readTree(answer.body()).get("predictions");
            assertThat(predictions.size()).isEqualTo(3);
            assertThat(predictions.get(0).isInt()).as(answer.body()).isTrue();
        } finally {
            run(60, "rm", "-f", "-t", "0", name);
        }
    }

    @Test
    @Order(4)
    void pushesToARegistryAndASecondBuildReusesTheCache() throws Exception {
        List<String> progress = new ArrayList<>();
        long start = System.nanoTime();
        PlatformImages images = new PlatformImages(ROOT, CACHE, progress::add);
        String reference = images.servingBase(Optional.of(registry.address()));
        double warm = seconds(start);

        assertThat(reference).isEqualTo(registry.address() + "/mlops/model-server:" + version)
                .isEqualTo(images.servingBaseLocation(Optional.of(registry.address())));
        // the base came from the cache: no jlink, no download of an index or a package
        assertThat(progress).noneMatch(line -> line.startsWith("jlink") || line.startsWith("downloading"))
                .anyMatch(line -> line.contains("is up to date"));
        report.add(String.format("warm build (cached base, model-server pushed with %s): %.1f s", SERVING_BASE, warm));

        JsonNode manifest = manifest("mlops/model-server", version);
        assertThat(manifest.path("layers")).hasSize(5);
        assertThat(manifest("mlops/model-server", "latest").path("config").path("digest"))
                .isEqualTo(manifest.path("config").path("digest"));
        JsonNode base = manifest("mlops/jre", "17-serving");
        assertThat(base.path("layers")).hasSize(2);
        // the serving image starts with the base's layers
        assertThat(manifest.path("layers").get(0)).isEqualTo(base.path("layers").get(0));
        assertThat(manifest.path("layers").get(1)).isEqualTo(base.path("layers").get(1));
        // the tarball read back names the same layers the registry holds (Jib builds reproducibly)
        List<String> pushed = new ArrayList<>();
        manifest.path("layers").forEach(layer -> pushed.add(layer.path("digest").asText()));
        assertThat(ImageTarball.read(CACHE.resolve("images/model-server.tar")).layers())
                .extracting(ImageLayer::digest).containsExactlyElementsOf(pushed);
        long compressed = 0;
        for (JsonNode layer : manifest.path("layers")) {
            compressed += layer.path("size").asLong();
        }
        report.add(String.format("pushed model-server: %.1f MB compressed in %d layers", compressed / 1e6,
                manifest.path("layers").size()));
    }

    private static JsonNode manifest(String repository, String tag) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry.address()
                        + "/v2/" + repository + "/manifests/" + tag)).header("Accept", ImageSizes.ACCEPT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(repository + ":" + tag + " " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static double awaitPing(int port, String container) throws Exception {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(90);
        HttpRequest ping = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping"))
                .timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (HTTP.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return seconds(start);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("model-server did not answer /ping within 90 s; its log:\n" + run(30, "logs", container));
    }

    /** The cached base of the runtime flavour ({@code serving} or {@code service}). */
    private static Path baseTarball(String flavor) throws IOException {
        try (Stream<Path> files = Files.list(CACHE.resolve("base"))) {
            return files.filter(p -> p.getFileName().toString().matches("mlops-jre-17-" + flavor + "-[0-9a-f]{16}\\.tar"))
                    .findFirst().orElseThrow();
        }
    }

    /** Runs {@link ClassProbe} on {@code image} with {@code module}'s built libraries mounted. */
    private static String probe(String image, String module, String className) throws Exception {
        Path lib = ROOT.resolve(module).resolve("target/quarkus-app/lib/main");
        // not at /lib: that is where the image's libc and loader are
        return run(60, "run", "--rm", "-v", PROBE + ":/probe:ro", "-v", lib + ":/probe-lib:ro", image,
                "java", "-cp", "/probe:/probe-lib/*", ClassProbe.class.getName(), className);
    }

    private static CsvTable titanic() throws IOException {
        return CsvTable.parse(Files.readAllBytes(ROOT.resolve("data/titanic.csv")));
    }

    /** A real bundle (small forest on the shipped Titanic CSV), readable by the image's user 1001. */
    private static Path bundle() throws IOException {
        CsvTable raw = titanic();
        PipelineSpec.Features features = PipelineSpec.defaults("file:" + ROOT.resolve("data/titanic.csv")).features();
        Preprocessor preprocessor = Preprocessor.fit(raw, features);
        var classes = Labels.classLabels(raw.column("Survived"));
        RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(raw),
                Labels.encode(raw.column("Survived"), classes), new ForestParams(10, 5, 2, 1), 42);
        Path folder = WORK.resolve("bundle");
        ModelBundle.of(forest, preprocessor, "Survived", classes,
                Map.of("run_id", "images-test", "model_name", "titanic-rf", "model_version", "1")).writeTo(folder);
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        return folder;
    }

    /** Runs a podman command with the service's configuration; fails with its output unless it exits 0. */
    private static String run(int timeoutSeconds, String... args) throws Exception {
        Process process = podman.podman(args).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("podman " + String.join(" ", args) + " did not end within " + timeoutSeconds + " s");
        }
        String text = new String(output, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new AssertionError("podman " + String.join(" ", args) + " exited with " + process.exitValue() + ":\n" + text);
        }
        return text;
    }

    private static String size(ImageTarball image) {
        return String.format("%.1f MB uncompressed, %.1f MB compressed, %d layers", image.uncompressedBytes() / 1e6,
                image.compressedBytes() / 1e6, image.layers().size());
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
