package dev.mlops.bench;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Debian's {@code docker-registry} on a free loopback port with a config of its own (no auth, storage in a scratch
 * folder), and the serving base image pushed to it: model-server's packaged application in Quarkus' Jib layout
 * (without a JRE layer: no base JRE image can be pulled offline; image-svc only reads the base's manifest and
 * config, so its size does not change what a run pushes).
 */
final class LocalRegistry implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    static final String BASE_REPOSITORY = "mlops/model-server";

    private final Process process;
    private final String address;

    private LocalRegistry(Process process, String address) {
        this.process = process;
        this.address = address;
    }

    static Optional<LocalRegistry> startIfInstalled(Path folder) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            return Optional.empty();
        }
        String address = "127.0.0.1:" + Ports.free();
        Files.createDirectories(folder);
        Path config = folder.resolve("config.yml");
        Files.writeString(config, """
                version: 0.1
                log: {level: warn, fields: {service: registry}}
                storage:
                  cache: {blobdescriptor: inmemory}
                  filesystem: {rootdirectory: %s}
                  delete: {enabled: true}
                http:
                  addr: %s
                  headers: {X-Content-Type-Options: [nosniff]}
                """.formatted(folder.resolve("storage"), address));
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true).redirectOutput(folder.resolve("registry.log").toFile()).start();
        LocalRegistry registry = new LocalRegistry(process, address);
        registry.awaitUp(folder.resolve("registry.log"));
        return Optional.of(registry);
    }

    String address() {
        return address;
    }

    /** Pushes the base image and returns its reference. */
    String pushBase(Path modelServerApp, Path cache) throws Exception {
        String reference = address + "/" + BASE_REPOSITORY + ":bench";
        JibContainerBuilder image = Jib.fromScratch()
                .setEntrypoint("java", "-jar", "/deployments/quarkus-run.jar")
                .addEnvironmentVariable("QUARKUS_HTTP_PORT", "8080");
        AbsoluteUnixPath root = AbsoluteUnixPath.get("/deployments");
        for (String part : List.of("lib", "quarkus-run.jar", "app", "quarkus")) {
            Path source = modelServerApp.resolve(part);
            if (!Files.exists(source)) {
                continue;
            }
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(part);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    layer.addEntry(file, root.resolve(modelServerApp.relativize(file).toString()));
                }
            }
            image.addFileEntriesLayer(layer.build());
        }
        image.containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(cache.resolve("base")).setApplicationLayersCache(cache.resolve("application")));
        return reference;
    }

    private void awaitUp(Path log) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        close();
        throw new IllegalStateException("docker-registry did not answer on " + address + " within 20 s");
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
