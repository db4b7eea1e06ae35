package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.WorkLimits;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class EventPathWarmUpTest {

    private final InMemoryArtifactStore store = new InMemoryArtifactStore();
    private final StageInputParser parser = new StageInputParser(new RunConfinement(store), WorkLimits.DEFAULTS);

    @Test
    void everyRoundTakesThePathARealEventTakesAndStoresNothing() {
        EventPathWarmUp warmUp = new EventPathWarmUp(parser, new StageSkip(), store, "test-svc", null, null, Duration.ZERO);

        assertThat(warmUp.warmInProcess()).as("rounds that parsed, validated and were not skipped")
                .isEqualTo(EventPathWarmUp.ROUNDS);
        assertThat(store.objects).as("objects stored").isEmpty();
    }

    @Test
    void theMadeUpEventIsOneEveryStageAfterIngestWorksOn() throws Exception {
        EventPathWarmUp warmUp = new EventPathWarmUp(parser, new StageSkip(), store, "test-svc", null, null, Duration.ZERO);

        StageEvent event = parser.parse(Json.write(warmUp.madeUpEvent()));

        for (Stage stage : new Stage[]{Stage.PREPROCESS, Stage.TRAIN, Stage.EVALUATE}) {
            assertThat(new StageSkip().skips(stage, event)).as(stage.id()).isFalse();
        }
        assertThat(event.artifacts()).isNotEmpty();
    }
}
