package dev.mlops.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.ModelTypes;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.evaluate.service.ModelEvaluation;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.model.metrics.RegressionMetrics;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.KafkaTestClient;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Evaluate against a real Kafka broker and a real S3 server: a trained model in, metrics and the gate's verdict out. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class EvaluateStageTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final TitanicModel MODEL = TitanicModel.train(new ForestParams(100, 10, 5, 1));
    static final ClassificationMetrics EXPECTED = dev.mlops.evaluate.service.ModelEvaluation.evaluate(
            MODEL.bundle(), MODEL.xTest(), MODEL.yTest());

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @Test
    void logsTheMetricsAndStoresReportAndConfusionMatrix() {
        String runId = publishTrained(spec(0.75), true);

        StageEvent completed = EventJson.readStageEvent(kafka().await("mlops.evaluate.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());

        assertThat(completed.stage()).isEqualTo("evaluate");
        assertThat(completed.metrics()).containsOnlyKeys("accuracy", "precision", "recall", "f1_score");
        assertThat(completed.metrics().get("accuracy")).isEqualTo(EXPECTED.accuracy()).isGreaterThan(0.75);
        assertThat(completed.metrics().get("f1_score")).isCloseTo(EXPECTED.f1(), within(1e-12));
        assertThat(text(completed, "evaluate/classification_report.txt")).isEqualTo(EXPECTED.report())
                .contains("weighted avg", "accuracy");
        assertThat(text(completed, "evaluate/confusion_matrix.txt")).isEqualTo(EXPECTED.confusionMatrixText());
        JsonNode metrics = Json.tree(text(completed, "evaluate/metrics.json"));
        assertThat(metrics.get("accuracy").asDouble()).isEqualTo(EXPECTED.accuracy());
        assertThat(metrics.get("confusion_matrix").get(1).get(1).asInt()).isEqualTo(EXPECTED.confusionMatrix()[1][1]);
        assertThat(metrics.get("gate").get("passed").asBoolean()).isTrue();
        assertThat(completed.artifacts()).containsKeys("model/model.bin", "preprocess/X_test.csv");
    }

    @Test
    void modelBelowTheGateFailsTheStageSayingFigureAndThresholdAndIsNotAnnounced() {
        String runId = publishTrained(spec(0.99), true);

        String error = failure(runId);

        assertThat(error).startsWith(String.format(java.util.Locale.ROOT,
                "quality gate failed: test accuracy %.4f is below gate.minAccuracy 0.9900", EXPECTED.accuracy()));
        assertThat(store.exists(URI.create("s3://mlops-artifacts/runs/" + runId + "/evaluate/classification_report.txt")))
                .as("the report is kept for the user to look at").isTrue();
        assertThatThrownBy(() -> kafka().await("mlops.evaluate.completed", r -> runId.equals(r.key()), Duration.ofSeconds(3)))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void bundleWithoutItsModelFileFailsNamingIt() {
        String runId = publishTrained(spec(0.75), false);

        assertThat(failure(runId)).contains("cannot load the model of run " + runId)
                .contains("lacks model/model.bin");
    }

    @Test
    void aTrainEventCarryingAnotherRunsArtifactsIsDeadLetteredAndThatRunIsUntouched() {
        String victim = publishTrained(spec(0.75), true);
        StageEvent evaluated = EventJson.readStageEvent(kafka().await("mlops.evaluate.completed",
                r -> victim.equals(r.key()), TIMEOUT).value());
        URI victimMetrics = URI.create(evaluated.artifact("evaluate/metrics.json"));
        byte[] before = store.read(victimMetrics);

        // input: another run's train.completed event relabelled as the victim's attempt 98, with a gate it fails
        // (it once overwrote the victim's evaluate/metrics.json and flipped the run to FAILED)
        String other = UUID.randomUUID().toString();
        StageEvent injected = new StageEvent(StageEvent.SCHEMA_VERSION, victim, "train", 98, spec(0.99),
                storeTrainOutputs(other, true), Map.of(), Map.of(), Instant.now());
        String injectedJson = Json.write(injected);
        kafka().send("mlops.train.completed", victim, injectedJson, Map.of("ce_type", "mlops.train.completed"));

        ConsumerRecord<String, String> dead = kafka().await(Topics.DEAD_LETTER,
                r -> injectedJson.equals(r.value()), TIMEOUT);
        assertThat(KafkaTestClient.header(dead, "dead-letter-reason")).contains("is not under the run's prefix")
                .contains("s3://mlops-artifacts/runs/" + other + "/");
        assertThat(store.read(victimMetrics)).as("the victim's evaluate/metrics.json").isEqualTo(before);
        assertThatThrownBy(() -> kafka().await(Topics.STAGE_STATUS,
                r -> victim.equals(r.key()) && r.value().contains("\"attempt\":98"), Duration.ofSeconds(3)))
                .as("no STARTED or FAILED for the victim's attempt 98").isInstanceOf(AssertionError.class);

        String next = publishTrained(spec(0.75), true);
        assertThat(kafka().await("mlops.evaluate.completed", r -> next.equals(r.key()), TIMEOUT)).isNotNull();
    }

    @Test
    void aRegressionRunLogsRmseMaeAndR2WithoutAConfusionMatrixAndSkipsTheAccuracyGate() {
        TitanicModel fare = TitanicModel.fareRegressor();
        RegressionMetrics expected = ModelEvaluation.evaluateRegression(fare.bundle(), fare.xTest(), fare.yTest());
        String runId = publishTrained(regressionSpec(0.2, null), fare, true);

        StageEvent completed = EventJson.readStageEvent(kafka().await("mlops.evaluate.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());

        System.out.printf("Fare from the other Titanic columns (gradient boosting): test R² %.4f, RMSE %.2f, MAE %.2f%n",
                expected.r2(), expected.rmse(), expected.mae());
        assertThat(completed.metrics()).containsOnlyKeys("rmse", "mae", "r2");
        assertThat(completed.metrics().get("r2")).isEqualTo(expected.r2()).isGreaterThan(0.2);
        assertThat(completed.artifacts()).doesNotContainKeys("evaluate/confusion_matrix.txt",
                "evaluate/classification_report.txt");
        JsonNode metrics = Json.tree(text(completed, "evaluate/metrics.json"));
        assertThat(metrics.get("rmse").asDouble()).isEqualTo(expected.rmse());
        assertThat(metrics.get("gate").get("passed").asBoolean()).isTrue();
        assertThat(metrics.get("gate").get("not_applied").get("gate.minAccuracy").asText())
                .contains("does not apply to a regression run");
    }

    @Test
    void aRegressorBelowGateMinR2OrAboveMaxRmseFailsTheStageSayingBothFigures() {
        TitanicModel fare = TitanicModel.fareRegressor();
        assertThat(failure(publishTrained(regressionSpec(0.99, null), fare, true)))
                .startsWith("quality gate failed: test R² ").contains("is below gate.minR2 0.9900");
        assertThat(failure(publishTrained(regressionSpec(null, 1.0), fare, true)))
                .startsWith("quality gate failed: test RMSE ").contains("is above gate.maxRmse 1.0000");
    }

    @Test
    void aRegressionGateOnAClassificationRunWhoseTaskWasInferredIsNotAppliedAndSaysSo() {
        // input: gate.minR2 0.99 with task left out; the model turned out a classifier
        PipelineSpec d = spec(0.75);
        PipelineSpec spec = new PipelineSpec(d.name(), d.dataset(), d.target(), null, d.features(), d.split(),
                d.model(), new PipelineSpec.Gate(0.75, 0.99, null, null, null), d.deploy());
        String runId = publishTrained(spec, true);

        StageEvent completed = EventJson.readStageEvent(kafka().await("mlops.evaluate.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());

        JsonNode gate = Json.tree(text(completed, "evaluate/metrics.json")).get("gate");
        assertThat(gate.get("passed").asBoolean()).isTrue();
        assertThat(gate.get("not_applied").get("gate.minR2").asText())
                .contains("does not apply to a classification run (task inferred from the target column 'Survived')");
    }

    private static PipelineSpec regressionSpec(Double minR2, Double maxRmse) {
        PipelineSpec d = PipelineSpec.defaults("file:/data/titanic.csv");
        return new PipelineSpec(d.name(), d.dataset(), "Fare", PipelineSpec.REGRESSION,
                new PipelineSpec.Features(List.of("Age", "Siblings/Spouses Aboard", "Parents/Children Aboard"),
                        List.of("Pclass", "Sex")), d.split(),
                new PipelineSpec.Model("fare", "gradient_boosting", 3, ModelTypes.defaultGrid("gradient_boosting")),
                new PipelineSpec.Gate(0.75, minR2, maxRmse, null, null), d.deploy());
    }

    /** What train would have done: the bundle's files and the test split stored, mlops.train.completed published. */
    private String publishTrained(PipelineSpec spec, boolean withModelFile) {
        return publishTrained(spec, MODEL, withModelFile);
    }

    private String publishTrained(PipelineSpec spec, TitanicModel model, boolean withModelFile) {
        String runId = UUID.randomUUID().toString();
        StageEvent trained = new StageEvent(StageEvent.SCHEMA_VERSION, runId, "train", 1, spec,
                storeTrainOutputs(runId, model, withModelFile), Map.of(), Map.of(), Instant.now());
        kafka().send("mlops.train.completed", runId, Json.write(trained),
                Map.of("ce_type", "mlops.train.completed", "ce_subject", runId));
        return runId;
    }

    private Map<String, String> storeTrainOutputs(String runId, boolean withModelFile) {
        return storeTrainOutputs(runId, MODEL, withModelFile);
    }

    private Map<String, String> storeTrainOutputs(String runId, TitanicModel model, boolean withModelFile) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put("preprocess/X_test.csv", store.put(runId, "preprocess/X_test.csv", model.xTest().toBytes(), "text/csv").toString());
        artifacts.put("preprocess/y_test.csv", store.put(runId, "preprocess/y_test.csv", model.yTest().toBytes(), "text/csv").toString());
        model.bundle().toFiles().forEach((path, content) -> {
            if (withModelFile || !path.equals("model/model.bin")) {
                artifacts.put(path, store.put(runId, path, content, "application/octet-stream").toString());
            }
        });
        return artifacts;
    }

    private String failure(String runId) {
        ConsumerRecord<String, String> record = kafka().await(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"FAILED\""), TIMEOUT);
        StageStatusEvent failed = EventJson.readStatusEvent(record.value());
        assertThat(failed.stage()).isEqualTo("evaluate");
        return failed.error();
    }

    private static PipelineSpec spec(double minAccuracy) {
        PipelineSpec d = PipelineSpec.defaults("file:/data/titanic.csv");
        return new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(), d.split(), d.model(),
                new PipelineSpec.Gate(minAccuracy), d.deploy());
    }

    private String text(StageEvent event, String artifact) {
        return new String(store.read(URI.create(event.artifact(artifact))), StandardCharsets.UTF_8);
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
