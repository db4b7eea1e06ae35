package dev.mlops.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.RegistryImage;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real container registry for the tests: Debian's {@code docker-registry} (distribution 2.x) with its own config
 * (no auth, loopback, a free port, storage under target/), plus a small base image pushed to it with Jib, standing
 * in for the model-server image. Fails (never skips) when the registry binary is not installed.
 */
public class RegistryResource implements QuarkusTestResourceLifecycleManager {

    public static final String BASE_REPOSITORY = "mlops/model-server";
    public static final String INSTALL_HINT = "install it with: apt-get update && apt-get install -y docker-registry"
            + " (Debian package; CI installs it), or point MLOPS_DOCKER_REGISTRY at the binary";

    private Process registry;

    @Override
    public Map<String, String> start() {
        Path binary = findBinary();
        int port = freePort();
        String address = "127.0.0.1:" + port;
        try {
            Path root = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "registry-").toAbsolutePath();
            Path config = root.resolve("config.yml");
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
                    """.formatted(root.resolve("storage"), address));
            registry = new ProcessBuilder(binary.toString(), "serve", config.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(root.resolve("registry.log").toFile())
                    .start();
            Runtime.getRuntime().addShutdownHook(new Thread(registry::destroyForcibly));
            awaitUp(address, root.resolve("registry.log"));

            String base = address + "/" + BASE_REPOSITORY + ":test";
            Path cache = Files.createDirectories(root.resolve("jib-cache"));
            TestImages.baseImage().containerize(Containerizer.to(RegistryImage.named(base))
                    .setAllowInsecureRegistries(true)
                    .setBaseImageLayersCache(cache.resolve("base"))
                    .setApplicationLayersCache(cache.resolve("application")));
            return Map.of(
                    "mlops.image.registry", address,
                    "mlops.image.base", base,
                    "mlops.image.cache-dir", root.resolve("image-svc-cache").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the test registry or push the base image: " + e, e);
        }
    }

    static Path findBinary() {
        String configured = System.getenv("MLOPS_DOCKER_REGISTRY");
        if (configured != null && !configured.isBlank()) {
            Path path = Path.of(configured);
            if (!Files.isExecutable(path)) {
                throw new IllegalStateException("MLOPS_DOCKER_REGISTRY=" + configured + " is not an executable; "
                        + INSTALL_HINT);
            }
            return path;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("the image-svc tests need a container registry but docker-registry is not on"
                + " the PATH; " + INSTALL_HINT);
    }

    private void awaitUp(String address, Path log) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (!registry.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + registry.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                HttpResponse<Void> answer = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/v2/"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (answer.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("docker-registry did not answer on " + address + " within 20 s: "
                + Files.readString(log));
    }

    @Override
    public void stop() {
        if (registry != null) {
            registry.destroy();
            try {
                if (!registry.waitFor(10, TimeUnit.SECONDS)) {
                    registry.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                registry.destroyForcibly();
            }
        }
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
