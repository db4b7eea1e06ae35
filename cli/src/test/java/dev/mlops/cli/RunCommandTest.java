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
    private volatile int stopStatus = 200;
    private volatile String stopAnswer = "{\"runId\": \"r1\", \"status\": \"KILLED\", \"error\": \"stopped by the API\","
            + " \"stages\": []}";
    private final List<String> uploads = new CopyOnWriteArrayList<>();
    private final List<String> promotions = new CopyOnWriteArrayList<>();
    private volatile int uploadStatus = 201;
    private volatile String uploadAnswer = """
            {"uri": "s3://mlops-artifacts/datasets/0123456789abcdef/my_passengers.csv", "bytes": 17,
             "columns": ["Survived", "Sex"]}""";
    private final CliOutput cli = new CliOutput();

    @BeforeEach
    void standInTrackingApi() throws IOException {
        tracking = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        tracking.createContext("/pipelines", exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/stop")) {
                boolean known = exchange.getRequestURI().getPath().equals("/pipelines/r1/stop");
                answer(exchange, known ? stopStatus : 404, known ? stopAnswer : "{\"message\": \"no such run\"}");
            } else if (exchange.getRequestMethod().equals("POST")) {
                postedSpecs.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                answer(exchange, postStatus, postAnswer);
            } else if (exchange.getRequestURI().getPath().equals("/pipelines/r1") && runAnswer != null) {
                answer(exchange, 200, runAnswer);
            } else {
                answer(exchange, 404, "{\"message\": \"no such run\"}");
            }
        });
        tracking.createContext("/models", exchange -> {
            promotions.add(exchange.getRequestURI().getRawPath() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, exchange.getRequestURI().getPath().equals("/models/titanic-rf/promote") ? 202 : 404,
                    "{\"runId\": \"r1\", \"from\": \"deploy\", \"attempt\": 2}");
        });
        tracking.createContext("/datasets", exchange -> {
            uploads.add(exchange.getRequestURI().getRawQuery() + " "
                    + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            answer(exchange, uploadStatus, uploadAnswer);
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
    void aDatasetFromDiskIsUploadedAndTheRunReadsItsUri() throws IOException {
        Path csv = Files.writeString(home.resolve("my passengers.csv"), "Survived,Sex\n1,male\n");
        Path spec = Files.writeString(home.resolve("spec.json"), "{\"model\": {\"cv\": 3}}");
        runAnswer = """
                {"runId": "r1", "name": "titanic", "status": "SUCCEEDED", "stages": [], "metrics": {}, "artifacts": {}}
                """;

        int code = mlops(trackingUrl()).execute("run", "--dataset", csv.toString(), spec.toString());

        assertThat(code).as(cli.err()).isZero();
        assertThat(uploads).containsExactly("name=my_passengers.csv Survived,Sex\n1,male\n");
        assertThat(postedSpecs).hasSize(1);
        assertThat(postedSpecs.get(0)).contains("\"model\":{\"cv\":3}")
                .contains("\"dataset\":{\"uri\":\"s3://mlops-artifacts/datasets/0123456789abcdef/my_passengers.csv\"}");
        assertThat(cli.out()).contains("uploaded " + csv + " (17 bytes, columns Survived, Sex) as "
                + "s3://mlops-artifacts/datasets/0123456789abcdef/my_passengers.csv");
        postedSpecs.clear();
    }

    @Test
    void aDatasetThatIsMissingOrRefusedStartsNoRun() throws IOException {
        // tried: a file that does not exist, then one the server refuses (not CSV)
        assertThat(mlops(trackingUrl()).execute("run", "--dataset", home.resolve("nope.csv").toString())).isEqualTo(1);
        assertThat(cli.err()).contains("no dataset file " + home.resolve("nope.csv"));

        Path binary = Files.write(home.resolve("photo.csv"), new byte[] {0, 1, 2});
        uploadStatus = 400;
        uploadAnswer = "{\"error_code\": \"INVALID_PARAMETER_VALUE\", \"message\": \"the file is not CSV: the file"
                + " is binary, not CSV text\", \"field\": \"file\"}";
        assertThat(mlops(trackingUrl()).execute("run", "--dataset", binary.toString())).isEqualTo(1);
        assertThat(cli.err()).contains("the file is not CSV: the file is binary, not CSV text");
    }

    @Test
    void promoteDeploysTheVersionAgainAndFollowsItsRun() {
        runAnswer = """
                {"runId": "r1", "name": "titanic", "status": "SUCCEEDED",
                 "stages": [{"stage": "deploy", "status": "COMPLETED", "attempt": 2, "durationMs": 1200}],
                 "metrics": {}, "artifacts": {}, "servingUrl": "http://127.0.0.1:8090/invocations"}
                """;

        int code = mlops(trackingUrl()).execute("promote", "titanic-rf", "3");

        assertThat(code).as(cli.err()).isZero();
        assertThat(promotions).containsExactly("/models/titanic-rf/promote {\"version\": 3}");
        assertThat(cli.out()).contains("titanic-rf version 3: run r1 deploys it again as attempt 2", "run r1 SUCCEEDED");
    }

    @Test
    void stopSaysTheRunIsKilledAndHowToRunItAgain() {
        assertThat(mlops(trackingUrl()).execute("stop", "r1")).isZero();
        assertThat(cli.out()).contains("run r1 KILLED (stopped by the API): no later stage starts")
                .contains("./mlops retry r1 runs it again");

        // a finished run: the server's 409 message; an unknown run is named; no run id: usage
        stopStatus = 409;
        stopAnswer = "{\"error_code\": \"INVALID_STATE\", \"message\": \"run r1 is SUCCEEDED: only a RUNNING run"
                + " can be stopped\"}";
        assertThat(mlops(trackingUrl()).execute("stop", "r1")).isEqualTo(1);
        assertThat(cli.err()).contains("run r1 is SUCCEEDED: only a RUNNING run can be stopped");
        assertThat(mlops(trackingUrl()).execute("stop", "r404")).isEqualTo(1);
        assertThat(cli.err()).contains("no run r404 is known to tracking-svc");
        assertThat(mlops(trackingUrl()).execute("stop")).isEqualTo(2);
        assertThat(postedSpecs).as("no run started").isEmpty();
    }

    @Test
    void promoteNeedsAModelAndAVersionNumber() {
        // tried: a version that is no number, a missing version, an unknown model
        assertThat(mlops(trackingUrl()).execute("promote", "titanic-rf", "latest")).isEqualTo(2);
        assertThat(cli.err()).contains("VERSION is a version number, like 3 (got 'latest')");
        assertThat(mlops(trackingUrl()).execute("promote", "titanic-rf")).isEqualTo(2);
        assertThat(mlops(trackingUrl()).execute("promote", "no-such-model", "1")).isEqualTo(1);
        assertThat(cli.err()).contains("no registered model 'no-such-model'");
        assertThat(promotions).hasSize(1);
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
