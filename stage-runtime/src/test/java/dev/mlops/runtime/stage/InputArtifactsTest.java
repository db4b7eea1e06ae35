package dev.mlops.runtime.stage;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a stage makes of its input artifacts: read, fail the run, or try again later. */
class InputArtifactsTest {

    private static final String RAW = "s3://mlops-artifacts/runs/run-1/raw/data.csv";
    private static final StageEvent INPUT = new StageEvent(StageEvent.SCHEMA_VERSION, "run-1", "ingest", 1,
            PipelineSpec.defaults("file:/data/titanic.csv"), Map.of("raw/data.csv", RAW), Map.of(), Map.of(),
            Instant.now());

    @Test
    void anArtifactInTheStoreIsRead() {
        InMemoryArtifactStore store = new InMemoryArtifactStore();
        store.put("run-1", "raw/data.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8), "text/csv");

        assertThat(new String(InputArtifacts.read(store, INPUT, "raw/data.csv", "preprocess"), StandardCharsets.UTF_8))
                .isEqualTo("a,b\n1,2\n");
    }

    /** Input: an event without the artifact the stage needs: the run fails naming what the event carries. */
    @Test
    void anArtifactTheEventDoesNotCarryFailsTheRunNamingWhatItHas() {
        assertThatThrownBy(() -> InputArtifacts.read(new InMemoryArtifactStore(), INPUT, "model/model.bin", "image"))
                .isInstanceOf(StageFailure.class)
                .hasMessage("the input event carries no artifact 'model/model.bin' (has: [raw/data.csv]): image needs it");
    }

    /** Input: an event naming an object the store does not have: trying again cannot help, the run fails. */
    @Test
    void anObjectMissingFromTheStoreFailsTheRun() {
        assertThatThrownBy(() -> InputArtifacts.read(new InMemoryArtifactStore(), INPUT, "raw/data.csv", "preprocess"))
                .isInstanceOf(StageFailure.class)
                .hasMessageStartingWith("could not read raw/data.csv from " + RAW + ": ");
    }

    /** Input: the S3 server is down (nothing listens on its port): the stage tries again instead of failing the run. */
    @Test
    void anUnreachableStoreIsATransientFailureThatIsTriedAgain() {
        try (ArtifactStore down = new ArtifactStore(new S3Settings("http://127.0.0.1:9", "key", "secret",
                "mlops-artifacts", "us-east-1"))) {
            assertThatThrownBy(() -> InputArtifacts.read(down, INPUT, "raw/data.csv", "preprocess"))
                    .isInstanceOf(TransientFailure.class)
                    .hasMessageStartingWith("could not read raw/data.csv from " + RAW + ": ")
                    .satisfies(failure -> assertThat(StageRetry.isTransient(failure)).isTrue());
        }
    }
}
