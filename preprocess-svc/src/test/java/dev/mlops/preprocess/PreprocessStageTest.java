package dev.mlops.preprocess;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.preprocess.Preprocessor;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Preprocess against a real Kafka broker and a real S3 server: an ingested dataset in, the splits out. */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class PreprocessStageTest {

    static final Path TITANIC = Path.of("../data/titanic.csv").toAbsolutePath().normalize();
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    static final PipelineSpec DEFAULTS = PipelineSpec.defaults("file:" + TITANIC);

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    ArtifactStore store;

    @Test
    void storesTheSplitsAndThePreprocessorAndAnnouncesThem() throws Exception {
        StageEvent completed = runPreprocess(Files.readAllBytes(TITANIC), DEFAULTS);

        assertThat(completed.stage()).isEqualTo("preprocess");
        assertThat(completed.metrics()).containsEntry("train_rows", 709.0).containsEntry("test_rows", 178.0)
                .containsEntry("features", 9.0);
        assertThat(completed.params()).containsEntry("split_seed", "42").containsEntry("split_fit_on", "train")
                .containsEntry("task", "classification").containsEntry("task_inferred", "true");
        assertThat(completed.artifacts()).containsKeys("raw/data.csv", "preprocess/X_train.csv", "preprocess/X_test.csv",
                "preprocess/y_train.csv", "preprocess/y_test.csv", "preprocess/preprocessor.json");
        assertThat(completed.artifact("preprocess/X_test.csv"))
                .isEqualTo("s3://mlops-artifacts/runs/" + completed.runId() + "/preprocess/X_test.csv");

        Preprocessor preprocessor = Preprocessor.fromJson(text(completed, "preprocess/preprocessor.json"));
        List<String> features = List.of("num__Age", "num__Fare", "num__Siblings/Spouses Aboard",
                "num__Parents/Children Aboard", "cat__Pclass_1", "cat__Pclass_2", "cat__Pclass_3",
                "cat__Sex_female", "cat__Sex_male");
        assertThat(preprocessor.featureNames()).isEqualTo(features);
        double[][] xTrain = FeatureTable.read(csv(completed, "preprocess/X_train.csv"), features);
        double[][] xTest = FeatureTable.read(csv(completed, "preprocess/X_test.csv"), features);
        assertThat(xTrain).hasNumberOfRows(709);
        assertThat(xTest).hasNumberOfRows(178);
        LabelColumn yTest = LabelColumn.parse(bytes(completed, "preprocess/y_test.csv"));
        assertThat(yTest.name()).isEqualTo("Survived");
        assertThat(yTest.values()).hasSize(178).containsOnly("0", "1");
        assertThat(LabelColumn.parse(bytes(completed, "preprocess/y_train.csv")).values()).hasSize(709);
    }

    @Test
    void aDuplicatedInputEventPublishesTheSameOutputAgainWithoutRedoingTheWork() throws Exception {
        String runId = UUID.randomUUID().toString();
        StageEvent ingested = ingested(runId, Files.readAllBytes(TITANIC), DEFAULTS);
        kafka().publish(ingested);
        StageEvent first = EventJson.readStageEvent(kafka().await("mlops.preprocess.completed",
                r -> runId.equals(r.key()), TIMEOUT).value());
        URI xTest = URI.create(first.artifact("preprocess/X_test.csv"));
        byte[] storedFirst = store.read(xTest);

        kafka().publish(ingested); // the same record again, as a redelivery after a crash would bring it

        List<ConsumerRecord<String, String>> outputs = kafka().awaitAll("mlops.preprocess.completed",
                r -> runId.equals(r.key()), 2, TIMEOUT);
        assertThat(EventJson.readStageEvent(outputs.get(1).value())).isEqualTo(first);
        // the work ran once: a single STARTED for the run (reading the whole topic for a few seconds finds no second)
        assertThatThrownBy(() -> kafka().awaitAll(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"STARTED\""), 2, Duration.ofSeconds(3)))
                .hasMessageStartingWith("found 1 of 2 matching records");
        assertThat(store.read(xTest)).isEqualTo(storedFirst);
    }

    @Test
    void fitOnAllUsesEveryRowForTheScaler() throws Exception {
        PipelineSpec asPublished = withSplit(new PipelineSpec.Split(0.2, 42L, "all", false));

        StageEvent completed = runPreprocess(Files.readAllBytes(TITANIC), asPublished);

        Preprocessor preprocessor = Preprocessor.fromJson(text(completed, "preprocess/preprocessor.json"));
        // scikit-learn's StandardScaler fitted on all 887 ages
        assertThat(preprocessor.numericColumns().get(0).mean()).isCloseTo(29.471443066516347, within(1e-9));
        assertThat(completed.params()).containsEntry("split_fit_on", "all");
    }

    @Test
    void targetWithASingleClassFailsTheStage() throws Exception {
        String allDied = Files.readString(TITANIC).replaceAll("(?m)^1,", "0,");

        assertThat(failureOf(allDied, DEFAULTS))
                .isEqualTo("target column 'Survived' has a single class ('0') in all 887 rows of the dataset:"
                        + " a classifier needs at least two");
    }

    @Test
    void aTestSizeLeavingNoTrainingRowFailsNamingTheSizes() throws Exception {
        // input: split.testSize 0.9999 on the 887 Titanic rows: ceil(886.9) = 887 test rows, none to train on
        String dataset = Files.readString(TITANIC);

        assertThat(failureOf(dataset, withSplit(new PipelineSpec.Split(0.9999, 42L, "train", false))))
                .isEqualTo("split.testSize 0.9999 leaves 887 test rows and 0 training rows of the dataset's 887 rows:"
                        + " both splits need at least one row");
    }

    @Test
    void aStratifiedTestSizeLeavingATestRowForOneClassOnlyFailsNamingTheSizes() throws Exception {
        // input: split.testSize 0.001, stratified, on the 887 Titanic rows: 1 test row for 2 classes
        String dataset = Files.readString(TITANIC);

        assertThat(failureOf(dataset, withSplit(new PipelineSpec.Split(0.001, 42L, "train", true))))
                .isEqualTo("split.testSize 0.001 leaves 1 test rows and 886 training rows of the dataset's 887 rows:"
                        + " a stratified split needs at least one row of each of the 2 classes in both");
    }

    @Test
    void aDatasetWithoutRowsFailsTheStage() {
        // input: a CSV with the header only
        String headerOnly = "Survived,Pclass,Sex,Age,Siblings/Spouses Aboard,Parents/Children Aboard,Fare\n";

        assertThat(failureOf(headerOnly, DEFAULTS))
                .isEqualTo("the dataset has no rows: a model needs labelled rows to learn from");
    }

    @Test
    void entirelyEmptyFeatureColumnFailsTheStage() {
        String noFares = "Survived,Pclass,Sex,Age,Siblings/Spouses Aboard,Parents/Children Aboard,Fare\n"
                + "0,3,male,22,1,0,\n1,1,female,38,1,0,NA\n1,3,female,26,0,0,\n";

        assertThat(failureOf(noFares, DEFAULTS)).contains("feature column 'Fare' has no values: all 3 rows are empty or NA");
    }

    @Test
    void aRawFileOverTheCellLimitFailsTheStageNamingTheSetting() {
        // input: an ingested raw/data.csv of 3,000 rows x 7 columns = 21,000 cells, over the test limit of 20,000
        // (as an event injected past ingest's own check could name)
        StringBuilder big = new StringBuilder("Survived,Pclass,Sex,Age,Siblings/Spouses Aboard,Parents/Children Aboard,Fare\n");
        for (int i = 0; i < 3_000; i++) {
            big.append(i % 2).append(",3,male,22,1,0,7.25\n");
        }

        assertThat(failureOf(big.toString(), DEFAULTS))
                .contains("more than 20000 cells").contains("mlops.limits.max-dataset-cells");
    }

    @Test
    void nonNumericValueInANumericFeatureFailsTheStageNamingIt() {
        String textAge = "Survived,Pclass,Sex,Age,Siblings/Spouses Aboard,Parents/Children Aboard,Fare\n"
                + "0,3,male,22,1,0,7.25\n1,1,female,thirty-eight,1,0,71.28\n1,3,female,26,0,0,7.92\n";

        assertThat(failureOf(textAge, DEFAULTS))
                .isEqualTo("numeric feature 'Age' has a non-numeric value in row 2 (line 3 of the CSV)");
    }

    private StageEvent runPreprocess(byte[] dataset, PipelineSpec spec) {
        String runId = publishIngested(dataset, spec);
        ConsumerRecord<String, String> record = kafka().await("mlops.preprocess.completed",
                r -> runId.equals(r.key()), TIMEOUT);
        return EventJson.readStageEvent(record.value());
    }

    private String failureOf(String dataset, PipelineSpec spec) {
        String runId = publishIngested(dataset.getBytes(StandardCharsets.UTF_8), spec);
        ConsumerRecord<String, String> record = kafka().await(Topics.STAGE_STATUS,
                r -> runId.equals(r.key()) && r.value().contains("\"FAILED\""), TIMEOUT);
        StageStatusEvent failed = EventJson.readStatusEvent(record.value());
        assertThat(failed.stage()).isEqualTo("preprocess");
        return failed.error();
    }

    /** What ingest would have done: the dataset stored as raw/data.csv and mlops.ingest.completed published. */
    private String publishIngested(byte[] dataset, PipelineSpec spec) {
        String runId = UUID.randomUUID().toString();
        kafka().publish(ingested(runId, dataset, spec));
        return runId;
    }

    private StageEvent ingested(String runId, byte[] dataset, PipelineSpec spec) {
        URI raw = store.put(runId, "raw/data.csv", dataset, "text/csv");
        return new StageEvent(StageEvent.SCHEMA_VERSION, runId, "ingest", 1, spec,
                Map.of("raw/data.csv", raw.toString()), Map.of(), Map.of(), Instant.now());
    }

    private byte[] bytes(StageEvent event, String artifact) {
        return store.read(URI.create(event.artifact(artifact)));
    }

    private String text(StageEvent event, String artifact) {
        return new String(bytes(event, artifact), StandardCharsets.UTF_8);
    }

    private CsvTable csv(StageEvent event, String artifact) {
        return CsvTable.parse(bytes(event, artifact));
    }

    private static PipelineSpec withSplit(PipelineSpec.Split split) {
        PipelineSpec d = DEFAULTS;
        return new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(), split, d.model(), d.gate(), d.deploy());
    }

    private KafkaTestClient kafka() {
        return new KafkaTestClient(bootstrap);
    }
}
