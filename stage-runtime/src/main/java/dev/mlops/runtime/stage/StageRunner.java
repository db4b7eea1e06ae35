package dev.mlops.runtime.stage;

import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.store.RunStop;
import dev.mlops.runtime.messaging.EventCounters;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Runs one stage for one input record, in steps: parse ({@link StageInputParser}) → skip ({@link StageSkip}) → an
 * event of a run known to be stopped only acknowledged ({@link StoppedRuns}) → STARTED → the stop, earlier output and
 * starts read from the store at once ({@link StartLookups}) → a stop found there: FAILED ("not run") → replay a
 * stored output ({@link OutputReplay}) → count the start or park ({@link CrashCount}) → the work
 * ({@link StageWorker}) → publish the completed event or FAILED ({@link StagePublisher}). Nothing is read from the
 * store before STARTED, which is idempotent for an attempt (tracking keeps a completed stage completed); the work
 * waits for every answer.
 * The input record is acknowledged (so its offset committed) only after the output is on Kafka (at-least-once);
 * the output is kept in the artifact store first ({@link StageOutputs}), so a redelivered input publishes it again
 * instead of redoing the work. Transient failures are tried again ({@link StageRetry}).
 *
 * <p>No record can stop the consumer: nothing is thrown out of {@link #run} (SmallRye would end the channel).
 * <ul>
 * <li>A record that is not a readable event, or whose artifacts lie outside its own run's prefix
 * ({@link RunConfinement}), is nacked, which sends it to the dead-letter topic; no status is published for it.</li>
 * <li>A readable event whose spec is invalid or over the work limits ({@code mlops.limits.*}) fails the run with the
 * reason before any work, and the record goes to the dead-letter topic.</li>
 * <li>Work that fails with any throwable, running out of memory included, fails the run with the reason.</li>
 * <li>A record whose work was started {@code mlops.stage.max-crashes} times without finishing (the service died
 * each time) fails the run and is parked on the dead-letter topic instead of being worked on again.</li>
 * <li>Events are published until the broker takes them ({@link StagePublisher}); a service that stops meanwhile
 * leaves the record unacknowledged, to be delivered again after the restart. A completed event the broker refuses
 * for good (too large) fails the run.</li>
 * </ul>
 */
@ApplicationScoped
public class StageRunner {

    private static final Logger LOG = Logger.getLogger(StageRunner.class);

    private final StageInputParser parser;
    private final StoppedRuns stoppedRuns;
    private final StartLookups lookups;
    private final StageSkip skip;
    private final OutputReplay replay;
    private final CrashCount crashes;
    private final StageWorker worker;
    private final StagePublisher publisher;
    private final StageMetrics metrics;
    private final EventCounters events;

    public StageRunner(StageInputParser parser, StoppedRuns stoppedRuns, StartLookups lookups, StageSkip skip,
                       OutputReplay replay, CrashCount crashes, StageWorker worker, StagePublisher publisher,
                       StageMetrics metrics, EventCounters events) {
        this.parser = parser;
        this.stoppedRuns = stoppedRuns;
        this.lookups = lookups;
        this.skip = skip;
        this.replay = replay;
        this.crashes = crashes;
        this.worker = worker;
        this.publisher = publisher;
        this.metrics = metrics;
        this.events = events;
    }

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
            input = parser.parse(record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("%s: record sent to %s: %s", stage.id(), Topics.DEAD_LETTER, e.getMessage());
            return record.nack(e);
        } catch (StageInputParser.InvalidSpecEvent e) {
            return failAndDeadLetter(stage, record, e.event(), e.getMessage());
        }
        if (skip.skips(stage, input)) {
            return record.ack();
        }
        Optional<StageEvent> completedHere = replay.completedHere(stage, input);
        if (completedHere.isPresent()) {
            if (stoppedRuns.read(stage, input).isEmpty()) {
                replay.replay(stage, input, completedHere.get(), completedEmitter);
            }
            return record.ack();
        }
        if (stoppedRuns.known(stage, input)) {
            return record.ack();
        }
        publisher.status(StageStatusEvent.started(input, stage));
        LOG.infof("%s: run %s attempt %d started", stage.id(), input.runId(), input.attempt());
        // the store is read only now, so that its requests do not compete with STARTED's send: tracking keeps a
        // completed attempt COMPLETED when a STARTED of it comes again, and the work waits for every answer
        StartLookups.Lookups lookups = this.lookups.begin(stage, input);
        Optional<RunStop> stop = lookups.stop();
        if (stop.isPresent()) {
            publisher.status(StageStatusEvent.failed(input, stage, notRun(stop.get())));
            return record.ack();
        }
        Optional<StageEvent> earlier = lookups.earlierOutput();
        if (earlier.isPresent()) {
            replay.replay(stage, input, earlier.get(), completedEmitter);
            return record.ack();
        }
        Optional<String> parked = crashes.startOrParkReason(stage, input, lookups.earlierStarts());
        if (parked.isPresent()) {
            return failAndDeadLetter(stage, record, input, parked.get());
        }
        return workThenPublish(stage, record, input, completedEmitter, work);
    }

    /** Why a stage that had published STARTED before it learnt of its run's stop did no work. */
    static String notRun(RunStop stop) {
        return "not run: the run was stopped by " + stop.stoppedBy() + " before this stage's work began";
    }

    private CompletionStage<Void> workThenPublish(Stage stage, Message<String> record, StageEvent input,
                                                  MutinyEmitter<String> completedEmitter, StageWork work)
            throws ServiceStopping {
        StageMetrics.Run measured = metrics.started(stage, input.attempt());
        StageEvent output;
        try {
            output = worker.work(stage, input, work);
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

    /** A run that cannot be worked on (invalid spec, parked): FAILED with the reason, the record to dead letters. */
    private CompletionStage<Void> failAndDeadLetter(Stage stage, Message<String> record, StageEvent input,
                                                    String reason) throws ServiceStopping {
        LOG.warnf("%s: run %s attempt %d failed, record sent to %s: %s", stage.id(), input.runId(), input.attempt(),
                Topics.DEAD_LETTER, reason);
        publisher.status(StageStatusEvent.failed(input, stage, reason));
        return record.nack(new StageFailure(reason));
    }
}
