package dev.mlops.common.event;

import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StageEventTest {

    final PipelineSpec spec = PipelineSpec.defaults("file:/d.csv");

    @Test
    void completedEventsAccumulateArtifactsAndParamsButNotMetrics() {
        StageEvent ingested = StageEvent.requested("run-1", spec).completed(Stage.INGEST,
                new StageResult(Map.of("raw/data.csv", "s3://b/runs/run-1/raw/data.csv"), Map.of("rows", 887.0),
                        Map.of("dataset_sha256", "abc")));
        StageEvent preprocessed = ingested.completed(Stage.PREPROCESS,
                new StageResult(Map.of("preprocess/X_train.csv", "s3://x"), Map.of("train_rows", 709.0), Map.of()));

        assertThat(preprocessed.artifacts()).containsOnlyKeys("raw/data.csv", "preprocess/X_train.csv");
        assertThat(preprocessed.params()).containsEntry("dataset_sha256", "abc");
        assertThat(preprocessed.metrics()).containsOnlyKeys("train_rows");
        assertThat(preprocessed.topic()).isEqualTo("mlops.preprocess.completed");
        assertThat(preprocessed.attempt()).isEqualTo(1);
        assertThat(EventJson.readStageEvent(Json.write(preprocessed))).isEqualTo(preprocessed);
    }

    @Test
    void theChainOfTopics() {
        assertThat(Stage.INGEST.inputTopic()).isEqualTo(Topics.PIPELINE_REQUESTED);
        assertThat(Stage.TRAIN.inputTopic()).isEqualTo("mlops.preprocess.completed");
        assertThat(Topics.all()).hasSize(12).contains("mlops.deploy.completed", Topics.STAGE_STATUS, Topics.DEAD_LETTER,
                "mlops.train.work", "mlops.run.stops");
    }

    @Test
    void unreadableRecordsAreInvalidEventsSayingWhy() {
        assertThatThrownBy(() -> EventJson.readStageEvent("{not json")).isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("malformed JSON");
        String noRunId = Json.write(StageEvent.requested("run-1", spec)).replace("\"runId\":\"run-1\",", "");
        assertThatThrownBy(() -> EventJson.readStageEvent(noRunId)).hasMessageContaining("no runId");
        String future = Json.write(StageEvent.requested("run-1", spec)).replace("\"schemaVersion\":1", "\"schemaVersion\":2");
        assertThatThrownBy(() -> EventJson.readStageEvent(future)).hasMessageContaining("unknown schemaVersion 2");
        String nul = Json.write(StageEvent.requested("run-1", spec)).replace("\"run-1\"", "\"run-1\\u0000\"");
        assertThatThrownBy(() -> EventJson.readStageEvent(nul)).hasMessageContaining("field 'runId' contains a control"
                + " character (U+0000)");
        String longId = Json.write(StageEvent.requested("r".repeat(129), spec));
        assertThatThrownBy(() -> EventJson.readStageEvent(longId)).hasMessageContaining("at most 128");
        assertThatThrownBy(() -> StageEvent.requested("run-1", spec).artifact("model/model.bin"))
                .hasMessageContaining("no artifact 'model/model.bin'");
    }
}
