package dev.mlops.runtime.stage;

import dev.mlops.common.event.EventJson;
import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.common.spec.PipelineSpecs;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.runtime.messaging.EventCounters;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs one stage for one input record: STARTED, the work, then the completed event or FAILED; a stage the run
 * does not go through (image and deploy when nothing is deployed) acknowledges the record and does nothing.
 * The input record is acknowledged (so its offset committed) only after the output is on Kafka (at-least-once);
 * the output is kept in the artifact store first ({@link StageOutputs}), so a redelivered input publishes it again
 * instead of redoing the work. Transient failures are tried again ({@link StageRetry}).
 *
 * <p>No record can stop the consumer: nothing is thrown out of {@link #run} (SmallRye would end the channel).
 * <ul>
 * <li>A record that is not a readable event, or whose artifacts lie outside its own run's prefix
 * ({@link RunConfinement}), is nacked, which sends it to the dead-letter topic; no status is published for it.</li>
 * <li>A spec over the work limits ({@code mlops.limits.*}) or otherwise invalid fails the run before any work.</li>
 * <li>Work that fails with any throwable, running out of memory included, fails the run with the reason.</li>
 * <li>A record whose work was started {@code mlops.stage.max-crashes} times without finishing (the service died
 * each time) fails the run and is parked on the dead-letter topic instead of being worked on again.</li>
 * <li>Events are published until the broker takes them ({@link StagePublisher}); a service that stops meanwhile
 * leaves the record unacknowledged, to be delivered again after the restart.</li>
 * </ul>
 */
@ApplicationScoped
public class StageRunner {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    @Inject
    StagePublisher publisher;

    @Inject
    StageMetrics metrics;

    @Inject
    EventCounters events;

    @Inject
    StageRetry retry;

    @Inject
    StageOutputs outputs;

    @Inject
    RunConfinement confinement;

    @Inject
    WorkLimits limits;

    @ConfigProperty(name = "mlops.stage.max-crashes", defaultValue = "3")
    int maxCrashes;

    public CompletionStage<Void> run(Stage stage, Message<String> record, MutinyEmitter<String> completedEmitter,
                                     StageWork work) {
        events.consumed(stage.inputTopic());
        try {
            return handle(stage, record, completedEmitter, work);
        } catch (ServiceStopping e) {
            LOG.infof("%s: the service is stopping: the record is left unacknowledged and comes again after the"
                    + " restart", stage.id());
            return new CompletableFuture<>();
        } catch (Throwable e) {
            // a defect in this class must not end the channel either
            LOG.errorf(e, "%s: unexpected failure; the record goes to %s", stage.id(), Topics.DEAD_LETTER);
            return record.nack(e);
        }
    }

    private CompletionStage<Void> handle(Stage stage, Message<String> record, MutinyEmitter<String> completedEmitter,
                                         StageWork work) throws ServiceStopping {
        StageEvent input;
        try {
            input = EventJson.readStageEvent(record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("%s: unreadable record sent to %s: %s", stage.id(), Topics.DEAD_LETTER, e.getMessage());
            return record.nack(e);
        }
        Optional<String> outsideItsRun = confinement.problem(input);
        if (outsideItsRun.isPresent()) {
            LOG.warnf("%s: record refused and sent to %s: %s", stage.id(), Topics.DEAD_LETTER, outsideItsRun.get());
            return record.nack(new InvalidEventException("refused: " + outsideItsRun.get()));
        }
        if (!goesThrough(stage, input)) {
            LOG.debugf("%s: run %s does not go through this stage (deploy.target none)", stage.id(), input.runId());
            return record.ack();
        }
        Optional<StageEvent> earlier = earlierOutput(stage, input);
        if (earlier.isPresent()) {
            LOG.infof("%s: run %s attempt %d was already completed: its output is published again, the work is not"
                    + " redone", stage.id(), input.runId(), input.attempt());
            publisher.completed(completedEmitter, stage, earlier.get());
            return record.ack();
        }
        int crashes = earlierStarts(stage, input);
        if (crashes >= maxCrashes) {
            return park(stage, record, input, crashes);
        }
        recordStart(stage, input, crashes + 1);
        return work(stage, record, input, completedEmitter, work);
    }

    private CompletionStage<Void> work(Stage stage, Message<String> record, StageEvent input,
                                       MutinyEmitter<String> completedEmitter, StageWork work) throws ServiceStopping {
        LOG.infof("%s: run %s attempt %d started", stage.id(), input.runId(), input.attempt());
        publisher.status(StageStatusEvent.started(input, stage));
        StageMetrics.Run measured = metrics.started(stage, input.attempt());
        StageEvent output;
        try {
            checkSpec(input);
            output = retry.call(stage, input.runId(), () -> {
                StageResult result = work.run(input, (done, total) ->
                        publisher.progress(StageStatusEvent.progress(input, stage, done, total)));
                StageEvent completed = input.completed(stage, result);
                outputs.record(stage, input, completed);
                return completed;
            });
        } catch (Throwable e) {
            if (publisher.stopping()) {
                measured.failed("ServiceStopping");
                throw new ServiceStopping();
            }
            Thread.interrupted(); // an interrupted work must not make the FAILED status' send fail too
            return failed(stage, record, input, measured, e);
        }
        try {
            publisher.completed(completedEmitter, stage, output);
        } catch (StageFailure e) {
            return failed(stage, record, input, measured, e);
        }
        measured.completed();
        LOG.infof("%s: run %s attempt %d completed", stage.id(), input.runId(), input.attempt());
        return record.ack();
    }

    private CompletionStage<Void> failed(Stage stage, Message<String> record, StageEvent input,
                                         StageMetrics.Run measured, Throwable e) throws ServiceStopping {
        String error = StageRetry.describe(e);
        boolean expected = e instanceof StageFailure || e instanceof TransientFailure;
        LOG.warnf(expected ? null : e, "%s: run %s failed: %s", stage.id(), input.runId(), error);
        measured.failed(e.getClass().getSimpleName());
        publisher.status(StageStatusEvent.failed(input, stage, error));
        return record.ack();
    }

    /** Specs were validated when the run was requested; an event injected past the API is held to the same rules. */
    private void checkSpec(StageEvent input) {
        try {
            PipelineSpecs.validate(input.spec(), limits);
        } catch (InvalidSpecException e) {
            throw new StageFailure("invalid pipeline spec in the input event: " + e.getMessage(), e);
        } catch (NullPointerException e) {
            throw new StageFailure("the input event's spec is incomplete: stages need the spec with its defaults"
                    + " filled in", e);
        }
    }

    private static boolean goesThrough(Stage stage, StageEvent input) {
        try {
            return input.spec().stages().contains(stage);
        } catch (RuntimeException e) {
            return true; // an incomplete spec: the spec check fails the run with the reason
        }
    }

    /** Parks a record that crashed its consumer again and again: the run fails, the record goes to dead letters. */
    private CompletionStage<Void> park(Stage stage, Message<String> record, StageEvent input, int crashes)
            throws ServiceStopping {
        String reason = "the " + stage.id() + " work for this input was started " + crashes + " times and never"
                + " finished (the service crashed or was killed each time, e.g. running out of memory): the record is"
                + " parked on " + Topics.DEAD_LETTER + " (mlops.stage.max-crashes=" + maxCrashes + ")";
        LOG.warnf("%s: run %s attempt %d: %s", stage.id(), input.runId(), input.attempt(), reason);
        publisher.status(StageStatusEvent.failed(input, stage, reason));
        return record.nack(new StageFailure(reason));
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

    private int earlierStarts(Stage stage, StageEvent input) {
        try {
            return outputs.starts(stage, input);
        } catch (RuntimeException e) {
            LOG.debugf("%s: run %s: could not count earlier starts: %s", stage.id(), input.runId(), e.getMessage());
            return 0;
        }
    }

    private void recordStart(Stage stage, StageEvent input, int starts) {
        try {
            outputs.recordStarts(stage, input, starts);
        } catch (RuntimeException e) {
            LOG.debugf("%s: run %s: could not count this start: %s", stage.id(), input.runId(), e.getMessage());
        }
    }
}
