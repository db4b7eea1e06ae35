package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.runtime.messaging.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Runs one stage for one input record: STARTED, the work, then the completed event or FAILED; a stage the run
 * does not go through (image and deploy when nothing is deployed) acknowledges the record and does nothing.
 * The input record is acknowledged (so its offset committed) only after the output is on Kafka (at-least-once);
 * the output is kept in the artifact store first ({@link StageOutputs}), so a redelivered input publishes it again
 * instead of redoing the work. Transient failures are tried again ({@link StageRetry}). A record that is not a
 * readable event is nacked, which sends it to the dead-letter topic.
 */
@ApplicationScoped
public class StageRunner {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    @Inject
    @Channel(Topics.STAGE_STATUS)
    MutinyEmitter<String> statusEmitter;

    @ConfigProperty(name = "quarkus.application.name")
    String serviceName;

    @Inject
    StageMetrics metrics;

    @Inject
    EventCounters events;

    @Inject
    StageRetry retry;

    @Inject
    StageOutputs outputs;

    public CompletionStage<Void> run(Stage stage, Message<String> record, MutinyEmitter<String> completedEmitter,
                                     StageWork work) {
        events.consumed(stage.inputTopic());
        StageEvent input;
        try {
            input = EventJson.readStageEvent(record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("%s: unreadable record sent to %s: %s", stage.id(), Topics.DEAD_LETTER, e.getMessage());
            return record.nack(e);
        }
        if (!input.spec().stages().contains(stage)) {
            LOG.debugf("%s: run %s does not go through this stage (deploy.target none)", stage.id(), input.runId());
            return record.ack();
        }
        Optional<StageEvent> earlier = earlierOutput(stage, input);
        if (earlier.isPresent()) {
            LOG.infof("%s: run %s attempt %d was already completed: its output is published again, the work is not"
                    + " redone", stage.id(), input.runId(), input.attempt());
            publishCompleted(stage, earlier.get(), completedEmitter);
            return record.ack();
        }
        LOG.infof("%s: run %s attempt %d started", stage.id(), input.runId(), input.attempt());
        publishStatus(StageStatusEvent.started(input, stage), true);
        StageMetrics.Run measured = metrics.started(stage, input.attempt());
        StageEvent output;
        try {
            output = retry.call(stage, input.runId(), () -> {
                StageResult result = work.run(input, (done, total) ->
                        publishStatus(StageStatusEvent.progress(input, stage, done, total), false));
                StageEvent completed = input.completed(stage, result);
                outputs.record(stage, input, completed);
                return completed;
            });
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            String error = StageRetry.describe(e);
            boolean expected = e instanceof StageFailure || e instanceof TransientFailure;
            LOG.warnf(expected ? null : e, "%s: run %s failed: %s", stage.id(), input.runId(), error);
            measured.failed(e.getClass().getSimpleName());
            publishStatus(StageStatusEvent.failed(input, stage, error), true);
            return record.ack();
        }
        try {
            publishCompleted(stage, output, completedEmitter);
        } catch (RuntimeException e) {
            measured.failed(e.getClass().getSimpleName());
            throw e;
        }
        measured.completed();
        LOG.infof("%s: run %s attempt %d completed", stage.id(), input.runId(), input.attempt());
        return record.ack();
    }

    /** The output of this (run, stage, attempt) if an earlier delivery completed it; empty when it cannot tell. */
    private Optional<StageEvent> earlierOutput(Stage stage, StageEvent input) {
        try {
            return outputs.recorded(stage, input);
        } catch (RuntimeException e) {
            // the store is unreachable: do the work, whose own store access tries again and fails with the cause
            LOG.debugf("%s: run %s: could not look for an earlier output: %s", stage.id(), input.runId(), e.getMessage());
            return Optional.empty();
        }
    }

    private void publishCompleted(Stage stage, StageEvent output, MutinyEmitter<String> completedEmitter) {
        completedEmitter.sendMessageAndAwait(EventMessages.of(stage.completedTopic(), output.runId(), output,
                serviceName));
        events.produced(stage.completedTopic());
    }

    private void publishStatus(StageStatusEvent status, boolean awaitAck) {
        Message<String> message = EventMessages.of(Topics.STAGE_STATUS, status.runId(), status, serviceName);
        if (awaitAck) {
            statusEmitter.sendMessageAndAwait(message);
            events.produced(Topics.STAGE_STATUS);
        } else {
            statusEmitter.sendMessage(message).subscribe().with(ok -> events.produced(Topics.STAGE_STATUS),
                    e -> LOG.debugf("progress update not sent: %s", e.getMessage()));
        }
    }
}
