package dev.mlops.cli;

import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
        port = Ports.free();
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
                "MLOPS_PIPELINE_DEFAULT_DATASET_URI=file:" + home.resolve("data/titanic.csv"),
                "MALLOC_ARENA_MAX=2");
        assertThat(StackStatus.table(stack)).containsPattern("tracking-svc +running +" + started.process().pid()
                + " +http://127.0.0.1:" + port + " +UP");

        CliOutput cli = new CliOutput();
        new StackStopper(stack, cli.outStream()).down(false);

        assertThat(started.process().isAlive()).isFalse();
        assertThat(stack.running("tracking-svc")).isEmpty();
        assertThat(settings.state().pids()).isEmptyDirectory();
        assertThat(cli.out()).contains("stopped tracking-svc (pid " + started.process().pid());
    }

    @Test
    void deploySvcAsAProcessIsToldWhereModelServerIsWhenTheStateFolderIsOutsideTheRepository(@TempDir Path elsewhere)
            throws Exception {
        // deploy-svc runs in the state folder and otherwise looks for model-server's jar only below it
        ServiceModule deploy = ServiceModule.forStage("deploy").orElseThrow();
        StandInService.writeJar(deploy.runJar(home));
        Path modelServer = Files.createDirectories(home.resolve("model-server/target/quarkus-app"))
                .resolve("quarkus-run.jar");
        Files.write(modelServer, new byte[] {'P', 'K'});
        int deployPort = Ports.free();
        CliSettings outside = CliSettings.of(home, Map.of("MLOPS_STATE_DIR", elsewhere.resolve("state").toString(),
                "MLOPS_DEPLOY_PORT", String.valueOf(deployPort)));
        outside.state().create();
        LocalStack stackOutside = new LocalStack(outside);
        ServiceLauncher launcherOutside = new ServiceLauncher(home, outside.state());

        ServiceLauncher.Started started = launcherOutside.start(deploy, deployPort,
                stackOutside.processEnvironment(deploy, deployPort, credentials, Optional.empty()));
        try {
            assertThat(launcherOutside.awaitReady(started, Duration.ofSeconds(30))).isEmpty();
            assertThat(environmentOf(deployPort)).contains("MLOPS_DEPLOY_LOCAL_SERVER_JAR=" + modelServer);
        } finally {
            new StackStopper(stackOutside, new PrintStream(PrintStream.nullOutputStream())).down(false);
        }
        // a container has no model-server jar: it is not told of one (deploy.target container serves there)
        assertThat(stackOutside.environment(deploy, deployPort, credentials, Optional.empty()))
                .doesNotContainKey("MLOPS_DEPLOY_LOCAL_SERVER_JAR");
        assertThat(stackOutside.processEnvironment(ServiceModule.TRACKING, port, credentials, Optional.empty()))
                .doesNotContainKey("MLOPS_DEPLOY_LOCAL_SERVER_JAR");
    }

    @Test
    void aServerJarTheUserSetWinsAndNoneIsPassedBeforeModelServerIsBuilt() throws IOException {
        ServiceModule deploy = ServiceModule.forStage("deploy").orElseThrow();
        // this home has no model-server/target: deploy-svc keeps its own default and says what to build
        assertThat(stack.processEnvironment(deploy, port, credentials, Optional.empty()))
                .doesNotContainKey("MLOPS_DEPLOY_LOCAL_SERVER_JAR");

        Files.createDirectories(home.resolve("model-server/target/quarkus-app"));
        Files.write(home.resolve("model-server/target/quarkus-app/quarkus-run.jar"), new byte[] {'P', 'K'});
        CliSettings chosen = CliSettings.of(home, Map.of("MLOPS_STATE_DIR", home.resolve("state").toString(),
                "MLOPS_DEPLOY_LOCAL_SERVER_JAR", "/opt/serving/model-server.jar"));
        assertThat(new LocalStack(chosen).processEnvironment(deploy, port, credentials, Optional.empty()))
                .containsEntry("MLOPS_DEPLOY_LOCAL_SERVER_JAR", "/opt/serving/model-server.jar");
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

    @Test
    void upRestartsARunningServiceWhoseReadinessStaysDownAndStatusSaysItNeedsOne() throws Exception {
        // a tracking-svc that runs but answers 503 on /q/health and /q/health/ready, as one whose consumer channel ended
        Map<String, String> env = new HashMap<>(stack.serviceEnvironment(port, credentials));
        env.put("STANDIN_MODE", "unready");
        ServiceLauncher.Started deaf = launcher.start(ServiceModule.TRACKING, port, env);
        await(() -> Network.health(port) == 503);
        assertThat(StackStatus.table(stack)).containsPattern("tracking-svc +running +" + deaf.process().pid()
                + " +http://127.0.0.1:" + port + " +DOWN \\(/q/health answers 503\\): needs a restart");
        // Kafka, S3, PostgreSQL, the registry and podman count as running: this test's own process stands in for them
        for (String name : List.of(LocalStack.KAFKA, LocalStack.S3, LocalStack.POSTGRES, LocalStack.REGISTRY,
                LocalStack.PODMAN)) {
            PidRecord.of(name, ProcessHandle.current(), 1, "stand-in", settings.state().log(name))
                    .write(settings.state().pids());
        }

        CliOutput cli = new CliOutput();
        new StackStarter(stack, cli.outStream(), Duration.ofSeconds(2)).up();

        assertThat(cli.out()).contains("tracking-svc answers DOWN (503) on /q/health: waiting up to 2 s",
                "restarting tracking-svc: /q/health still answers 503 after 2 s (stopping pid "
                        + deaf.process().pid() + ")",
                "tracking-svc ready at http://127.0.0.1:" + port);
        assertThat(deaf.process().isAlive()).isFalse();
        PidRecord restarted = stack.running("tracking-svc").orElseThrow();
        assertThat(restarted.pid()).isNotEqualTo(deaf.process().pid());
        assertThat(Network.readiness(port)).isEqualTo(200);
        assertThat(StackStatus.table(stack)).containsPattern("tracking-svc +running +" + restarted.pid() + " .* UP");
        restarted.liveProcess().ifPresent(p -> dev.mlops.stack.launch.ServerProcess.stop(p, Duration.ofSeconds(10)));
    }

    @Test
    void downStopsTheModelDeploySvcLeftServing() throws Exception {
        // deploy-svc's record of its model-server (which outlives deploy-svc so that a restart adopts it)
        Process modelServer = new ProcessBuilder("sh", "-c", "sleep 120; : model-server/quarkus-run.jar").start();
        Path record = settings.state().servedModel();
        Files.createDirectories(record.getParent());
        Files.writeString(record, "{\"runId\": \"run-1\", \"backend\": \"process\", \"pid\": " + modelServer.pid()
                + ", \"port\": 1}");

        CliOutput cli = new CliOutput();
        new StackStopper(stack, cli.outStream()).down(false);

        assertThat(modelServer.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)).as("model-server stopped").isTrue();
        assertThat(cli.out()).contains("stopped the served model (model-server of run run-1, pid " + modelServer.pid());
        assertThat(record).doesNotExist();
    }

    private static void await(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 30 s").isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private static String environmentOf(int port) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/env")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
