package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import dev.mlops.deploy.service.AdminToken;
import dev.mlops.deploy.service.LocalServing;
import dev.mlops.deploy.service.ModelServerLauncher;
import dev.mlops.stack.launch.Ports;
import dev.mlops.testing.TrackingStub;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.mlops.deploy.TestRuns.get;
import static dev.mlops.deploy.TestRuns.post;
import static dev.mlops.deploy.TestRuns.predictions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The local target: one real model-server process on the stable port, started ahead, loading real bundles from S3
 * deploy after deploy, through real Kafka. Each test deploys what it needs; the URL stays the same throughout.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
@QuarkusTestResource(TrackingStub.class)
@QuarkusTestResource(value = LocalDeployResource.class, restrictToAnnotatedClass = true)
class LocalDeployTest {

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @ConfigProperty(name = "mlops.deploy.local.port")
    int frontPort;

    @ConfigProperty(name = "mlops.deploy.local.state-dir")
    Path stateDir;

    @ConfigProperty(name = "mlops.s3.endpoint")
    String s3Endpoint;

    @ConfigProperty(name = "mlops.s3.access-key")
    String s3AccessKey;

    @ConfigProperty(name = "mlops.s3.secret-key")
    String s3SecretKey;

    @Inject
    ArtifactStore store;

    @Inject
    ModelServerLauncher processes;


    @Test
    void deploysTheRunsModelOnTheStableUrlAndMarksItProduction() throws Exception {
        TestRuns.TrainedModel model = TestRuns.modelA();
        String runId = TestRuns.newRunId();
        // no model_version param: deploy asks the registry which version the run registered
        TrackingStub.VERSIONS.put(runId, 3);
        StageEvent completed = deploy(runId, model, Map.of("model_name", TestRuns.MODEL_NAME));

        String servingUrl = "http://127.0.0.1:" + frontPort + "/invocations";
        assertThat(completed.params())
                .containsEntry("serving_url", servingUrl)
                .containsEntry("deploy_target", "local")
                .containsEntry("model_version", "3")
                .containsEntry("model_uri", "s3://mlops-artifacts/runs/" + runId + "/model");
        assertThat(completed.metrics().get("inference_accuracy")).isCloseTo(model.accuracy(), within(1e-9));
        assertThat(completed.metrics()).containsEntry("inference_rows", (double) model.yTest().size());
        assertThat(TrackingStub.aliasCalls(TestRuns.MODEL_NAME)).last()
                .satisfies(call -> assertThat(Json.tree(call.body()).path("version").asInt()).isEqualTo(3));

        // what a user does with the URL: raw passenger records, MLflow's scoring protocol
        HttpResponse<String> answer = post(servingUrl, """
                {"dataframe_records": [{"Pclass": 3, "Sex": "male", "Age": 22, "Fare": 7.25,
                  "Siblings/Spouses Aboard": 1, "Parents/Children Aboard": 0}]}""");
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(Json.tree(answer.body()).path("predictions")).hasSize(1);
        assertThat(currentDeployment().path("runId").asText()).isEqualTo(runId);
    }

    @Test
    void twoDeploysInARowSwapInsideTheSameModelServerWithoutAFailedRequest() throws Exception {
        TestRuns.TrainedModel a = TestRuns.modelA();
        TestRuns.TrainedModel b = TestRuns.modelB();
        assertThat(b.predictions()).as("the two test models must differ to tell them apart").isNotEqualTo(a.predictions());
        String runA = TestRuns.newRunId();
        deploy(runA, a, Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "11"));
        long pidA = currentDeployment().path("pid").asLong();

        String servingUrl = "http://127.0.0.1:" + frontPort + "/invocations";
        RequestLoop client = new RequestLoop(servingUrl, TestRuns.dataframeSplit(a, 0, 20));
        String runB = TestRuns.newRunId();
        StageEvent completedB = deploy(runB, b, Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "12"));
        int beforeStop = client.sent();
        client.close();

        assertThat(client.failures()).as("failed requests among %d sent during the swap", client.sent()).isEmpty();
        assertThat(beforeStop).as("requests sent while run B was deployed").isGreaterThan(10);
        assertThat(completedB.params()).containsEntry("serving_url", servingUrl);
        assertThat(get("http://127.0.0.1:" + frontPort + "/version").body()).contains("12");
        List<String> served = predictions(post(servingUrl, TestRuns.dataframeSplit(b, 0, b.yTest().size())).body());
        assertThat(served).isEqualTo(b.predictions());
        assertThat(currentDeployment().path("pid").asLong()).as("run B loaded into the same model-server JVM")
                .isEqualTo(pidA);
        assertThat(currentDeployment().path("runId").asText()).isEqualTo(runB);
    }

    @Test
    void aModelServerKilledIsStartedAgainServingTheModelItServed() throws Exception {
        TestRuns.TrainedModel model = TestRuns.modelA();
        String runId = TestRuns.newRunId();
        deploy(runId, model, Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "31"));
        ProcessHandle killed = ProcessHandle.of(currentDeployment().path("pid").asLong()).orElseThrow();

        assertThat(killed.destroyForcibly()).as("SIGKILL sent").isTrue();
        killed.onExit().get(10, TimeUnit.SECONDS);

        String servingUrl = "http://127.0.0.1:" + frontPort + "/invocations";
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!servesAgain(killed.pid()) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        JsonNode restarted = currentDeployment();
        assertThat(restarted.path("pid").asLong()).as("a new model-server").isNotEqualTo(killed.pid());
        assertThat(restarted.path("runId").asText()).isEqualTo(runId);
        assertThat(predictions(post(servingUrl, TestRuns.dataframeSplit(model, 0, model.yTest().size())).body()))
                .isEqualTo(model.predictions());
        assertThat(get("http://127.0.0.1:" + frontPort + "/version").body()).contains("31");
    }

    private boolean servesAgain(long killedPid) {
        try {
            return currentDeployment().path("pid").asLong() != killedPid
                    && get("http://127.0.0.1:" + frontPort + "/ping").statusCode() == 200;
        } catch (Exception notYet) {
            return false;
        }
    }

    @Test
    void servedPredictionsThatDifferFromTheRunsModelFailTheStageAndKeepThePreviousModel() throws Exception {
        String goodRun = TestRuns.newRunId();
        TestRuns.TrainedModel a = TestRuns.modelA();
        deploy(goodRun, a, Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "21"));
        int aliasCalls = TrackingStub.aliasCalls(TestRuns.MODEL_NAME).size();

        // runs/<badRun>/model holds model B (what the server loads), but the event names model A's files, stored
        // under the same run (another run's files would send the event to the dead-letter topic)
        String badRun = TestRuns.newRunId();
        TestRuns.store(store, badRun, TestRuns.modelB());
        Map<String, String> artifactsOfA = TestRuns.store(store, badRun, "candidate/", a);
        TestRuns.publish(kafka(), TestRuns.imageCompleted(badRun, artifactsOfA, "local",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "22")));
        String error = TestRuns.awaitFailure(kafka(), badRun);

        assertThat(error).contains("predicts differently from run " + badRun + "'s model")
                .contains("does not serve this run's model");
        assertThat(TrackingStub.aliasCalls(TestRuns.MODEL_NAME)).hasSize(aliasCalls);
        assertThat(currentDeployment().path("runId").asText()).isEqualTo(goodRun);
        List<String> served = predictions(post("http://127.0.0.1:" + frontPort + "/invocations",
                TestRuns.dataframeSplit(a, 0, a.yTest().size())).body());
        assertThat(served).isEqualTo(a.predictions());
    }

    @Test
    void aRestartedDeploySvcAdoptsTheModelServerThatStillServes() throws Exception {
        TestRuns.TrainedModel model = TestRuns.modelB();
        String runId = TestRuns.newRunId();
        deploy(runId, model, Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "21"));
        ProcessHandle modelServer = ProcessHandle.of(currentDeployment().path("pid").asLong()).orElseThrow();

        // what a deploy-svc that starts again does: a LocalServing of its own on the same state folder and port
        LocalServing restarted = new LocalServing(processes, "127.0.0.1", frontPort, stateDir, Map.of(),
                AdminToken.keptIn(stateDir));
        try {
            restarted.ensureRunning();
            assertThat(restarted.pid()).as("adopted, not started again").contains(modelServer.pid());
            assertThat(predictions(post(restarted.servingUrl(), TestRuns.dataframeSplit(model, 0,
                    model.yTest().size())).body())).isEqualTo(model.predictions());
        } finally {
            restarted.close();
        }
        assertThat(modelServer.isAlive()).as("closing deploy-svc leaves its model-server serving").isTrue();
        assertThat(currentDeployment().path("pid").asLong()).isEqualTo(modelServer.pid());
    }

    @Test
    void aRecordedModelServerThatNoLongerAnswersIsStoppedAndAFreshOneStarts(@TempDir Path state) throws Exception {
        // a live process naming quarkus-run.jar that answers nothing on the recorded port, as a hung model-server
        Process hung = new ProcessBuilder("sh", "-c", "sleep 120; : quarkus-run.jar").start();
        int port = Ports.free();
        LocalServing serving = new LocalServing(processes, "127.0.0.1", port, state, Map.of(), AdminToken.keptIn(state));
        try {
            Files.writeString(state.resolve("current.json"), Json.write(Map.of("backend", "local-model-server",
                    "pid", hung.pid(), "port", port)));
            serving.ensureRunning();
            assertThat(hung.waitFor(15, TimeUnit.SECONDS)).as("the hung process stopped").isTrue();
            assertThat(serving.pid()).isPresent().get().isNotEqualTo(hung.pid());
            assertThat(Json.tree(Files.readString(state.resolve("current.json"))).path("pid").asLong())
                    .isEqualTo(serving.pid().orElseThrow());
            assertThat(get("http://127.0.0.1:" + port + "/ping").statusCode()).as("no model served yet").isEqualTo(503);
        } finally {
            serving.release();
            serving.close();
            hung.destroyForcibly();
        }
    }

    @Test
    void aStartAheadStartsTheModelServerUnlessDeploySvcIsAlreadyStopping(@TempDir Path state) throws Exception {
        // deploy-svc stopped (./mlops down) during start-ahead-delay: the waiting start must not leave a server behind
        int port = Ports.free();
        LocalServing stopping = new LocalServing(processes, "127.0.0.1", port, state, Map.of(), AdminToken.keptIn(state));
        stopping.close();
        stopping.startAhead();
        assertThat(stopping.pid()).isEmpty();
        assertThat(state.resolve("current.json")).doesNotExist();

        LocalServing running = new LocalServing(processes, "127.0.0.1", port, state, Map.of(), AdminToken.keptIn(state));
        try {
            running.startAhead();
            assertThat(running.pid()).isPresent();
            assertThat(get("http://127.0.0.1:" + port + "/ping").statusCode()).as("up, with no model").isEqualTo(503);
        } finally {
            running.release();
            running.close();
        }
    }

    @Test
    void aRecordedModelThatIsGoneFromTheStoreDoesNotKeepTheModelServerDown(@TempDir Path state) throws Exception {
        int port = Ports.free();
        Files.writeString(state.resolve("current.json"), Json.write(Map.of("backend", "local-model-server",
                "runId", "gone", "modelUri", "s3://mlops-artifacts/runs/" + TestRuns.newRunId() + "/model",
                "port", port)));
        LocalServing serving = new LocalServing(processes, "127.0.0.1", port, state, s3Env(),
                AdminToken.keptIn(state));
        try {
            serving.ensureRunning();
            assertThat(serving.pid()).isPresent();
            assertThat(get("http://127.0.0.1:" + port + "/ping").statusCode()).as("up, with no model").isEqualTo(503);
            assertThat(Json.tree(Files.readString(state.resolve("current.json"))).has("modelUri")).isFalse();
        } finally {
            serving.release();
            serving.close();
        }
    }

    private Map<String, String> s3Env() {
        return Map.of("MLOPS_S3_ENDPOINT", s3Endpoint, "MLOPS_S3_ACCESS_KEY", s3AccessKey,
                "MLOPS_S3_SECRET_KEY", s3SecretKey);
    }

    @Test
    void anEventWithoutTheTestSplitFailsNamingIt() {
        String runId = TestRuns.newRunId();
        Map<String, String> artifacts = new java.util.HashMap<>(TestRuns.store(store, runId, TestRuns.modelA()));
        artifacts.remove("preprocess/y_test.csv");
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, artifacts, "local",
                Map.of("model_name", TestRuns.MODEL_NAME, "model_version", "5")));
        assertThat(TestRuns.awaitFailure(kafka(), runId)).contains("preprocess/y_test.csv");
    }

    private StageEvent deploy(String runId, TestRuns.TrainedModel model, Map<String, String> params) {
        Map<String, String> artifacts = TestRuns.store(store, runId, model);
        TestRuns.publish(kafka(), TestRuns.imageCompleted(runId, artifacts, "local", params));
        return TestRuns.awaitCompleted(kafka(), runId);
    }

    private JsonNode currentDeployment() throws Exception {
        return Json.tree(Files.readString(stateDir.resolve("current.json")));
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
