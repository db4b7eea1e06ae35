package dev.mlops.bench;

import dev.mlops.stack.launch.Ports;
import dev.mlops.stack.launch.ServerProcess;
import dev.mlops.testing.Http200;
import dev.mlops.testing.SklearnScript;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The reference scoring server ({@code sklearn_serve.py}: FastAPI + uvicorn, as MLflow serves) on a free port. */
final class ReferenceServer implements AutoCloseable {

    // HTTP/1.1: uvicorn refuses the JDK client's default h2c upgrade
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    private final ServerProcess server;
    private final URI invocations;

    private ReferenceServer(ServerProcess server, URI invocations) {
        this.server = server;
        this.invocations = invocations;
    }

    /** Started and answering {@code GET /ping}, or an exception naming the log (the server is then stopped). */
    static ReferenceServer start(Path reference, Path model, int workers, Path log) {
        int port = Ports.free();
        URI base = URI.create("http://127.0.0.1:" + port);
        List<String> command = List.of(SklearnScript.PYTHON.toString(), reference.resolve("sklearn_serve.py").toString(),
                "--model", model.toString(), "--host", "127.0.0.1", "--port", String.valueOf(port),
                "--workers", String.valueOf(workers));
        ServerProcess server = ServerProcess.start("sklearn_serve.py", command, Map.of(), Path.of("").toAbsolutePath(), log,
                () -> Http200.answers(HTTP, base.resolve("/ping")), Duration.ofSeconds(60), true);
        return new ReferenceServer(server, base.resolve("/invocations"));
    }

    URI invocations() {
        return invocations;
    }

    long pid() {
        return server.pid();
    }

    /** SIGTERM to uvicorn and its workers, SIGKILL after 10 s. */
    @Override
    public void close() {
        server.handle().descendants().forEach(ProcessHandle::destroy);
        server.stop(Duration.ofSeconds(10));
    }
}
