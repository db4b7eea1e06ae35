package dev.mlops.cli;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.ByteArrayOutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code up} starts a service and {@code down} stops it, with a real process started from a
 * {@code <module>/target/quarkus-app/quarkus-run.jar} that stands in for a Quarkus service.
 */
class ServiceLauncherTest {

    @TempDir
    Path home;
    private int port;
    private CliSettings settings;
    private LocalStack stack;
    private ServiceLauncher launcher;
    private final Credentials credentials = new Credentials("ak", "s3-secret-value", "mlops", "db-password-value", "api-token-value");

    @BeforeEach
    void homeWithAStandInTrackingService() throws IOException {
        StandInService.writeJar(ServiceModule.TRACKING.runJar(home));
        port = freePort();
        settings = CliSettings.of(home, Map.of("MLOPS_STATE_DIR", home.resolve("state").toString(),
                "MLOPS_TRACKING_PORT", String.valueOf(port),
                "MLOPS_KAFKA_PORT", "19092", "MLOPS_S3_PORT", "19000", "MLOPS_PG_PORT", "15432"));
        settings.state().create();
        stack = new LocalStack(settings);
        launcher = new ServiceLauncher(home, settings.state());
    }

    @Test
    void aStartedServiceGetsTheStacksAddressesIsRecordedAndDownStopsIt() throws Exception {
        ServiceLauncher.Started started = launcher.start(ServiceModule.TRACKING, port,
                stack.serviceEnvironment(port, credentials));

        assertThat(launcher.awaitReady(started, Duration.ofSeconds(30))).isEmpty();
        assertThat(stack.running("tracking-svc")).map(PidRecord::pid).contains(started.process().pid());
        assertThat(environmentOf(port)).contains(
                "QUARKUS_HTTP_PORT=" + port,
                "QUARKUS_HTTP_HOST=127.0.0.1",
                "KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:19092",
                "QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://127.0.0.1:15432/mlops",
                "QUARKUS_DATASOURCE_USERNAME=mlops",
                "QUARKUS_DATASOURCE_PASSWORD=db-password-value",
                "MLOPS_S3_ENDPOINT=http://127.0.0.1:19000",
                "MLOPS_S3_ACCESS_KEY=ak",
                "MLOPS_S3_SECRET_KEY=s3-secret-value",
                "MLOPS_S3_BUCKET=mlops-artifacts",
                "MLOPS_TRACKING_URL=http://127.0.0.1:" + port,
                "MLOPS_PIPELINE_DEFAULT_DATASET_URI=file:" + home.resolve("data/titanic.csv"));
        assertThat(StackStatus.table(stack)).containsPattern("tracking-svc +running +" + started.process().pid()
                + " +http://127.0.0.1:" + port + " +UP");

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new StackStopper(stack, new PrintStream(out, true, StandardCharsets.UTF_8)).down(false);

        assertThat(started.process().isAlive()).isFalse();
        assertThat(stack.running("tracking-svc")).isEmpty();
        assertThat(settings.state().pids()).isEmptyDirectory();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("stopped tracking-svc (pid " + started.process().pid());
    }

    @Test
    void aServiceThatExitsAtStartIsReportedWithTheEndOfItsLog() {
        Map<String, String> env = new HashMap<>(stack.serviceEnvironment(port, credentials));
        env.put("STANDIN_MODE", "exit");
        ServiceLauncher.Started started = launcher.start(ServiceModule.TRACKING, port, env);

        Optional<String> problem = launcher.awaitReady(started, Duration.ofSeconds(30));

        assertThat(problem).hasValueSatisfying(p -> assertThat(p)
                .startsWith("tracking-svc exited with code 3 before it was ready; the end of its log ("
                        + settings.state().log("tracking-svc") + "):")
                .contains("ERROR boom: config property mlops.s3.secret-key is required"));
        assertThat(stack.running("tracking-svc")).isEmpty();
    }

    @Test
    void aServiceThatNeverGetsReadyIsStoppedAfterTheTimeout() {
        Map<String, String> env = new HashMap<>(stack.serviceEnvironment(port, credentials));
        env.put("STANDIN_MODE", "unready");
        ServiceLauncher.Started started = launcher.start(ServiceModule.TRACKING, port, env);

        Optional<String> problem = launcher.awaitReady(started, Duration.ofSeconds(3));

        assertThat(problem).hasValueSatisfying(p -> assertThat(p)
                .startsWith("tracking-svc did not answer GET http://127.0.0.1:" + port
                        + "/q/health/ready with 200 within 3 s and was stopped"));
        assertThat(started.process().isAlive()).isFalse();
        assertThat(PidRecord.read(settings.state().pids(), "tracking-svc")).isEmpty();
    }

    private static String environmentOf(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/env")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
