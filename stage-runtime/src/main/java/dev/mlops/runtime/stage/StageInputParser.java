package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.PipelineSpecs;
import dev.mlops.common.spec.WorkLimits;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/**
 * The first step of a stage: the record as the event a stage may work on. It must be a readable event whose
 * artifacts lie in its own run ({@link RunConfinement}), and its spec is filled with the defaults and validated
 * against the work limits here, once: stages receive a complete, valid spec. Specs were validated when the run was
 * requested; an event injected past the API is held to the same rules.
 */
@ApplicationScoped
public class StageInputParser {

    private final RunConfinement confinement;
    private final WorkLimits limits;

    public StageInputParser(RunConfinement confinement, WorkLimits limits) {
        this.confinement = confinement;
        this.limits = limits;
    }

    /**
     * @throws InvalidEventException not an event, or one reaching outside its run: for the dead-letter topic
     * @throws InvalidSpecEvent a readable event of a run whose spec is invalid: the run fails
     */
    public StageEvent parse(String payload) throws InvalidSpecEvent {
        StageEvent event = EventJson.readStageEvent(payload);
        Optional<String> outsideItsRun = confinement.problem(event);
        if (outsideItsRun.isPresent()) {
            throw new InvalidEventException("refused: " + outsideItsRun.get());
        }
        // no default dataset here: an event without one fails the check below, naming dataset.uri
        PipelineSpec spec = event.spec().withDefaults("");
        try {
            PipelineSpecs.validate(spec, limits);
        } catch (InvalidSpecException e) {
            throw new InvalidSpecEvent(event, "invalid pipeline spec in the input event: " + e.getMessage());
        }
        return new StageEvent(event.schemaVersion(), event.runId(), event.stage(), event.attempt(), spec,
                event.artifacts(), event.metrics(), event.params(), event.occurredAt());
    }

    /** A readable event of a run whose spec breaks a rule: the run fails with the reason. */
    public static class InvalidSpecEvent extends Exception {
        private final transient StageEvent event;

        InvalidSpecEvent(StageEvent event, String reason) {
            super(reason);
            this.event = event;
        }

        public StageEvent event() {
            return event;
        }
    }
}
