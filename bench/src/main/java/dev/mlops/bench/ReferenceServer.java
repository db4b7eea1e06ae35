package dev.mlops.bench;

import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.SklearnScript;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** The reference scoring server ({@code sklearn_serve.py}: FastAPI + uvicorn, as MLflow serves) on a free port. */
final class ReferenceServer implements AutoCloseable {

    private final Process process;
    private final URI invocations;

    private ReferenceServer(Process process, URI invocations) {
        this.process = process;
        this.invocations = invocations;
    }

    static ReferenceServer start(Path reference, Path model, int workers, Path log) throws Exception {
        int port = Ports.free();
        Process process = new ProcessBuilder(SklearnScript.PYTHON.toString(),
                reference.resolve("sklearn_serve.py").toString(), "--model", model.toString(), "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--workers", String.valueOf(workers))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ReferenceServer server = new ReferenceServer(process, URI.create("http://127.0.0.1:" + port + "/invocations"));
        server.awaitPing(log);
        return server;
    }

    URI invocations() {
        return invocations;
    }

    long pid() {
        return process.pid();
    }

    private void awaitPing(Path log) throws Exception {
        // HTTP/1.1: uvicorn refuses the JDK client's default h2c upgrade
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sklearn_serve.py exited with " + process.exitValue() + ": "
                        + Files.readString(log));
            }
            try {
                if (http.send(HttpRequest.newBuilder(invocations.resolve("/ping")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        close();
        throw new IllegalStateException("sklearn_serve.py did not answer /ping within 60 s; see " + log);
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
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
