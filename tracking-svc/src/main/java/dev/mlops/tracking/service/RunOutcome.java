package dev.mlops.tracking.service;

import dev.mlops.common.event.Stage;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.StageExecution;
import dev.mlops.tracking.StageStatus;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A run's status as it follows from its stage executions. Only the newest attempt counts: a retry re-publishes
 * an input event with attempt + 1, so once attempt N+1 has started, failures of attempt N are history.
 * FAILED if a stage failed in the newest attempt; SUCCEEDED when the last stage the run goes through
 * completed in it (evaluate, for a run that kept the production model); RUNNING otherwise.
 */
public record RunOutcome(RunStatus status, Instant finishedAt, String error) {

    public static final RunOutcome RUNNING = new RunOutcome(RunStatus.RUNNING, null, null);

    /**
     * The stages a run of this spec goes through, in chain order: it ends after evaluate when nothing is deployed,
     * or when evaluate kept the production model ({@code keptProduction}: the run's param {@code release} is "kept").
     */
    public static List<Stage> expectedStages(PipelineSpec spec, boolean keptProduction) {
        return spec.stages().stream()
                .filter(stage -> !keptProduction || stage.ordinal() <= Stage.EVALUATE.ordinal())
                .toList();
    }

    public static RunOutcome of(PipelineSpec spec, List<StageExecution> executions, boolean keptProduction) {
        int newestAttempt = executions.stream().mapToInt(e -> e.attempt).max().orElse(0);
        List<StageExecution> current = executions.stream().filter(e -> e.attempt == newestAttempt).toList();
        Optional<StageExecution> failed = current.stream()
                .filter(e -> e.status == StageStatus.FAILED)
                .min(Comparator.comparing(e -> Stage.fromId(e.stage).map(Enum::ordinal).orElse(Integer.MAX_VALUE)));
        if (failed.isPresent()) {
            StageExecution f = failed.get();
            return new RunOutcome(RunStatus.FAILED, f.finishedAt, f.stage + " failed: " + f.error);
        }
        List<Stage> expected = expectedStages(spec, keptProduction);
        String lastStage = expected.get(expected.size() - 1).id();
        return current.stream()
                .filter(e -> e.stage.equals(lastStage) && e.status == StageStatus.COMPLETED)
                .findFirst()
                .map(e -> new RunOutcome(RunStatus.SUCCEEDED, e.finishedAt, null))
                .orElse(RUNNING);
    }
}
