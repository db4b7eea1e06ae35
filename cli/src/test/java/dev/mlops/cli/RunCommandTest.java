package dev.mlops.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops run} and {@code status RUN} against an HTTP server that answers as tracking-svc's
 * {@code POST /pipelines} and {@code GET /pipelines/{runId}} do (DESIGN.md section 6): what the user sees and
 * the exit code.
 */
class RunCommandTest {

    @TempDir
    Path home;

    private HttpServer tracking;
    private final List<String> postedSpecs = new CopyOnWriteArrayList<>();
    private volatile int postStatus = 202;
    private volatile String postAnswer = "{\"runId\": \"r1\"}";
    private volatile String runAnswer;
    private final CliOutput cli = new CliOutput();

    @BeforeEach
    void standInTrackingApi() throws IOException {
        tracking = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tracking.createContext("/pipelines", exchange -> {
            if (exchange.getRequestMethod().equals("POST")) {
                postedSpecs.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(exchange, postStatus, postAnswer);
            } else if (exchange.getRequestURI().getPath().equals("/pipelines/r1") && runAnswer != null) {
                answer(exchange, 200, runAnswer);
            } else {
                answer(exchange, 404, "{\"message\": \"no such run\"}");
            }
        });
        tracking.start();
    }

    @AfterEach
    void stop() {
        tracking.stop(0);
    }

    @Test
    void aSucceededRunExitsZeroAndShowsItsMetricsArtifactsAndServingUrl() {
        runAnswer = """
                {"runId": "r1", "name": "titanic", "status": "SUCCEEDED",
                 "stages": [{"stage": "ingest", "status": "COMPLETED", "attempt": 1, "durationMs": 800}],
                 "metrics": {"accuracy": 0.8315}, "artifacts": {"model/model.bin": "s3://mlops-artifacts/runs/r1/model/model.bin"},
                 "servingUrl": "http://127.0.0.1:8090/invocations"}
                """;

        int code = mlops(trackingUrl()).execute("run");

        assertThat(code).as(cli.err()).isZero();
        assertThat(postedSpecs).containsExactly("{}");
        assertThat(cli.out()).contains("run r1 started", "  ingest      COMPLETED  attempt 1  0.8 s", "run r1 SUCCEEDED",
                "  accuracy  0.8315", "  model/model.bin  s3://mlops-artifacts/runs/r1/model/model.bin",
                "serving URL: http://127.0.0.1:8090/invocations",
                "in MLflow: MLFLOW_TRACKING_URI=" + trackingUrl() + " MLFLOW_TRACKING_TOKEN=$(./mlops token),"
                        + " experiment 'titanic', run r1",
                "in the web UI: " + trackingUrl() + "/#/runs/r1");
    }

    @Test
    void aFailedRunExitsOneWithTheFailingStagesError() throws IOException {
        Path spec = Files.writeString(home.resolve("spec.json"), "{\"gate\": {\"minAccuracy\": 0.99}}");
        runAnswer = """
                {"runId": "r1", "name": "titanic", "status": "FAILED", "stages": [
                  {"stage": "evaluate", "status": "FAILED", "attempt": 1, "error": "accuracy 0.83 is below gate 0.99"}],
                 "metrics": {}, "artifacts": {}}
                """;

        int code = mlops(trackingUrl()).execute("run", spec.toString());

        assertThat(code).isEqualTo(1);
        assertThat(postedSpecs).containsExactly("{\"gate\": {\"minAccuracy\": 0.99}}");
        assertThat(cli.out().lines().toList()).last()
                .isEqualTo("run r1 FAILED at stage evaluate (attempt 1): accuracy 0.83 is below gate 0.99");
        assertThat(cli.out()).contains("in the web UI: " + trackingUrl() + "/#/runs/r1");
    }

    @Test
    void aRejectedSpecShowsTheServersMessage() throws IOException {
        Path spec = Files.writeString(home.resolve("spec.json"), "{\"colour\": \"red\"}");
        postStatus = 400;
        postAnswer = "{\"message\": \"unknown field 'colour'; known fields here: dataset, deploy\"}";

        int code = mlops(trackingUrl()).execute("run", spec.toString());

        assertThat(code).isEqualTo(1);
        assertThat(cli.err()).isEqualTo("mlops: tracking-svc refused the request (HTTP 400): unknown field 'colour';"
                + " known fields here: dataset, deploy\n");
    }

    @Test
    void aMissingSpecFileIsNamedAndNothingIsPosted() {
        int code = mlops(trackingUrl()).execute("run", home.resolve("nope.json").toString());

        assertThat(code).isEqualTo(1);
        assertThat(cli.err()).contains("no pipeline spec file " + home.resolve("nope.json"));
        assertThat(postedSpecs).isEmpty();
    }

    @Test
    void statusOfAnUnknownRunSaysSo() {
        int code = mlops(trackingUrl()).execute("status", "r404");

        assertThat(code).isEqualTo(1);
        assertThat(cli.err()).contains("no run r404 is known to tracking-svc at " + trackingUrl());
    }

    @Test
    void whenTrackingDoesNotAnswerTheUserLearnsWhy() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        int code = mlops("http://127.0.0.1:" + closedPort).execute("run");

        assertThat(code).isEqualTo(1);
        assertThat(cli.err()).contains("tracking-svc does not answer at http://127.0.0.1:" + closedPort,
                "no tracking-svc running, and it is not built");
    }

    private Mlops mlops(String trackingUrl) {
        return cli.mlops(home, Map.of("MLOPS_TRACKING_URL", trackingUrl,
                "MLOPS_STATE_DIR", home.resolve("state").toString()));
    }

    private String trackingUrl() {
        return "http://127.0.0.1:" + tracking.getAddress().getPort();
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(bytes);
        }
    }
}
