package dev.mlops.deploy;

import dev.mlops.stack.launch.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What the serving Service of the Kubernetes tests answers with: a real model-server process serving model A from a
 * folder (as the image's /opt/model). The folder also holds the run's test split, for the test to store in S3.
 */
public class ServedModelResource implements QuarkusTestResourceLifecycleManager {

    public static Path folder;
    private Process server;

    @Override
    public Map<String, String> start() {
        try {
            folder = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "served-model-").toAbsolutePath();
            for (Map.Entry<String, byte[]> file : TestRuns.modelA().files().entrySet()) {
                Path target = folder.resolve(file.getKey());
                Files.createDirectories(target.getParent());
                Files.write(target, file.getValue());
            }
            int port = Ports.free();
            ProcessBuilder builder = new ProcessBuilder(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-jar",
                    TestRuns.modelServerJar().toString()))
                    .redirectErrorStream(true)
                    .redirectOutput(folder.resolve("model-server.log").toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
            builder.environment().put("QUARKUS_HTTP_HOST", "127.0.0.1");
            builder.environment().put("MLOPS_MODEL_URI", "file:" + folder);
            server = builder.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::destroyForcibly));
            awaitPing(port);
            return Map.of(
                    "mlops.deploy.kubernetes.serving-url", "http://127.0.0.1:" + port,
                    "mlops.deploy.kubernetes.rollout-timeout", "3s",
                    "mlops.deploy.kubernetes.poll-interval", "100ms",
                    // no local model-server on this machine's serving port: these tests deploy to the cluster only
                    "mlops.deploy.local.start-ahead", "false");
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start the model-server standing in for the serving Service: " + e, e);
        }
    }

    private void awaitPing(int port) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/ping")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("model-server did not answer /ping: " + Files.readString(folder.resolve("model-server.log")));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.destroy();
            try {
                if (!server.waitFor(10, TimeUnit.SECONDS)) {
                    server.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                server.destroyForcibly();
            }
        }
    }
}
