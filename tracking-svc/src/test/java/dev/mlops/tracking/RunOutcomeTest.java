package dev.mlops.tracking;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.tracking.service.RunOutcome;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A run's status from its stage executions, without Quarkus. */
class RunOutcomeTest {

    static final PipelineSpec NO_DEPLOY = spec("none");
    static final PipelineSpec LOCAL = spec("local");
    static final Instant T = Instant.parse("2025-01-01T10:00:00Z");

    @Test
    void expectedStagesEndAfterEvaluateWithoutDeployment() {
        assertThat(RunOutcome.expectedStages(NO_DEPLOY, false)).containsExactly(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN,
                Stage.EVALUATE);
        assertThat(RunOutcome.expectedStages(LOCAL, false)).containsExactly(Stage.values());
    }

    @Test
    void runningUntilTheLastStageCompletes() {
        List<StageExecution> executions = new ArrayList<>();
        assertThat(RunOutcome.of(NO_DEPLOY, executions, false).status()).isEqualTo(RunStatus.RUNNING);
        for (Stage stage : List.of(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN)) {
            executions.add(execution(stage, 1, StageStatus.COMPLETED));
        }
        assertThat(RunOutcome.of(NO_DEPLOY, executions, false).status()).isEqualTo(RunStatus.RUNNING);
        executions.add(execution(Stage.EVALUATE, 1, StageStatus.COMPLETED));
        RunOutcome done = RunOutcome.of(NO_DEPLOY, executions, false);
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.finishedAt()).isEqualTo(T);
        assertThat(RunOutcome.of(LOCAL, executions, false).status()).isEqualTo(RunStatus.RUNNING);
    }

    @Test
    void aFailureInTheNewestAttemptFailsTheRunAndANewerAttemptRevivesIt() {
        List<StageExecution> executions = new ArrayList<>(List.of(
                execution(Stage.INGEST, 1, StageStatus.COMPLETED),
                execution(Stage.EVALUATE, 1, StageStatus.FAILED)));
        RunOutcome failed = RunOutcome.of(NO_DEPLOY, executions, false);
        assertThat(failed.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failed.error()).isEqualTo("evaluate failed: boom");

        executions.add(execution(Stage.INGEST, 2, StageStatus.RUNNING));
        assertThat(RunOutcome.of(NO_DEPLOY, executions, false)).isEqualTo(RunOutcome.RUNNING);
    }

    @Test
    void aRunThatKeptProductionSucceedsWhenEvaluateCompletes() {
        assertThat(RunOutcome.expectedStages(LOCAL, true)).containsExactly(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN,
                Stage.EVALUATE);
        List<StageExecution> executions = new ArrayList<>();
        for (Stage stage : List.of(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN, Stage.EVALUATE)) {
            executions.add(execution(stage, 1, StageStatus.COMPLETED));
        }

        RunOutcome kept = RunOutcome.of(LOCAL, executions, true);

        assertThat(kept.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(kept.finishedAt()).isEqualTo(T);
        assertThat(kept.error()).isNull();
        assertThat(RunOutcome.of(LOCAL, executions, false).status()).as("released: image and deploy follow")
                .isEqualTo(RunStatus.RUNNING);
        executions.add(execution(Stage.EVALUATE, 2, StageStatus.RUNNING));
        assertThat(RunOutcome.of(LOCAL, executions, true)).as("a retry from evaluate decides again")
                .isEqualTo(RunOutcome.RUNNING);
    }

    static StageExecution execution(Stage stage, int attempt, StageStatus status) {
        StageExecution e = new StageExecution();
        e.stage = stage.id();
        e.attempt = attempt;
        e.status = status;
        e.finishedAt = status == StageStatus.RUNNING ? null : T;
        e.error = status == StageStatus.FAILED ? "boom" : null;
        return e;
    }

    static PipelineSpec spec(String deployTarget) {
        return new PipelineSpec(null, null, null, null, null, null, null, new PipelineSpec.Deploy(deployTarget))
                .withDefaults("file:/data/titanic.csv");
    }
}
