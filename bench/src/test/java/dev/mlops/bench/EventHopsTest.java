package dev.mlops.bench;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EventHopsTest {

    static final List<Stage> STAGES = List.of(Stage.INGEST, Stage.PREPROCESS);

    static StageEvents.Event input(String topic, long ms) {
        return new StageEvents.Event(topic, null, false, ms);
    }

    static StageEvents.Event started(String stage, long ms) {
        return new StageEvents.Event(Topics.STAGE_STATUS, stage, true, ms);
    }

    @Test
    void aHopRunsFromTheInputRecordToTheStagesStarted() {
        Map<String, List<StageEvents.Event>> byRun = Map.of(
                "run-1", List.of(input(Topics.PIPELINE_REQUESTED, 1000), started("ingest", 1012),
                        input("mlops.ingest.completed", 1500), started("preprocess", 1507)),
                "run-2", List.of(started("ingest", 2009), input(Topics.PIPELINE_REQUESTED, 2000)));

        Map<String, List<Double>> hops = EventHops.of(byRun, STAGES);

        assertThat(hops.keySet()).containsExactly("pipeline.requested -> ingest STARTED",
                "ingest.completed -> preprocess STARTED");
        assertThat(hops.get("pipeline.requested -> ingest STARTED")).containsExactlyInAnyOrder(12.0, 9.0);
        assertThat(hops.get("ingest.completed -> preprocess STARTED")).containsExactly(7.0);
    }

    @Test
    void aRunIsCompleteOnceEveryHopHasBothEnds() {
        List<StageEvents.Event> partial = List.of(input(Topics.PIPELINE_REQUESTED, 1), started("ingest", 2),
                input("mlops.ingest.completed", 3));
        assertThat(EventHops.complete(partial, STAGES)).isFalse();
        List<StageEvents.Event> whole = new ArrayList<>(partial);
        whole.add(started("preprocess", 4));
        assertThat(EventHops.complete(whole, STAGES)).isTrue();
    }
}
