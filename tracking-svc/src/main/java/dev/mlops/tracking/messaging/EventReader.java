package dev.mlops.tracking.messaging;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.PipelineSpecs;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.config.PipelineConfig;
import dev.mlops.tracking.service.ArtifactLocations;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;

/**
 * Reads records off the stage topics with pipeline-common's EventJson, plus what tracking needs to store them:
 * a known stage, attempt 1 or more, a run id that fits the run table, a valid spec, artifacts under the run's own
 * prefix ({@link ArtifactLocations}). Anything else is an
 * {@link InvalidEventException}, and the consumer sends the record to the dead-letter topic.
 */
@ApplicationScoped
public class EventReader {

    private static final int MAX_KEY_LENGTH = 250;
    private static final int MAX_ARTIFACT_NAME_LENGTH = 512;
    private static final int MAX_URI_LENGTH = 2048;

    private final PipelineConfig config;
    private final ArtifactLocations locations;
    private final WorkLimits limits;

    public EventReader(PipelineConfig config, ArtifactLocations locations, WorkLimits limits) {
        this.config = config;
        this.locations = locations;
        this.limits = limits;
    }

    public StageStatusEvent status(String payload) {
        StageStatusEvent event = EventJson.readStatusEvent(payload);
        checkRun(event.runId(), event.attempt());
        knownStage(event.stage());
        return event;
    }

    /** A completed event of {@code stage}; its spec gets the defaults filled in, so a run can be created from it. */
    public StageEvent completed(Stage stage, String payload) {
        StageEvent event = EventJson.readStageEvent(payload);
        checkRun(event.runId(), event.attempt());
        if (!stage.id().equals(event.stage())) {
            throw new InvalidEventException("event on " + stage.completedTopic() + " says stage '"
                    + Text.quote(event.stage()) + "', expected '" + stage.id() + "'");
        }
        PipelineSpec spec;
        try {
            spec = event.spec().withDefaults(config.defaultDatasetUri());
            PipelineSpecs.validate(spec, limits);
        } catch (InvalidSpecException e) {
            throw new InvalidEventException("event of run " + event.runId() + " carries an invalid spec: "
                    + e.getMessage(), e);
        }
        checkLengths(event.params(), MAX_KEY_LENGTH, Integer.MAX_VALUE, "param");
        checkLengths(event.metrics(), MAX_KEY_LENGTH, Integer.MAX_VALUE, "metric");
        checkLengths(event.artifacts(), MAX_ARTIFACT_NAME_LENGTH, MAX_URI_LENGTH, "artifact");
        event.artifacts().forEach((name, uri) -> locations.nameProblem(name)
                .or(() -> locations.uriProblem(event.runId(), uri))
                .ifPresent(problem -> {
                    throw new InvalidEventException("event of run " + event.runId() + " has artifact '"
                            + Text.quote(name) + "' outside the run: " + problem);
                }));
        return new StageEvent(event.schemaVersion(), event.runId(), event.stage(), event.attempt(), spec,
                event.artifacts(), event.metrics(), event.params(), event.occurredAt());
    }

    private static void checkRun(String runId, int attempt) {
        if (runId.length() > Run.MAX_ID_LENGTH) {
            throw new InvalidEventException("runId is longer than " + Run.MAX_ID_LENGTH + " characters");
        }
        if (attempt < 1) {
            throw new InvalidEventException("event of run " + runId + " has attempt " + attempt
                    + ": attempts count from 1");
        }
    }

    private static void knownStage(String stage) {
        if (Stage.fromId(stage).isEmpty()) {
            throw new InvalidEventException("unknown stage '" + Text.quote(stage) + "'");
        }
    }

    private static void checkLengths(Map<String, ?> entries, int maxKey, int maxValue, String what) {
        entries.forEach((key, value) -> {
            if (key.isEmpty() || key.length() > maxKey) {
                throw new InvalidEventException(what + " name must be 1-" + maxKey + " characters, got '"
                        + Text.quote(key) + "'");
            }
            if (value == null || value.toString().length() > maxValue) {
                throw new InvalidEventException(what + " '" + Text.quote(key) + "' has no value or one longer than "
                        + maxValue + " characters");
            }
        });
    }
}
