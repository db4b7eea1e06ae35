package dev.mlops.tracking.messaging;

import dev.mlops.common.event.Topics;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.repository.TransientDatabaseFailure;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Writes what a consumed record says to the database, on a worker thread, then acknowledges the record.
 * <ul>
 * <li>A transient failure ({@link TransientDatabaseFailure}: PostgreSQL stopped, connections lost, a deadlock) is
 * retried with exponential backoff (0.5 s doubling to 5 s) until the write succeeds: the record is neither lost
 * nor dead-lettered, and as a consumer handles one record at a time, none overtakes it. The wait happens on
 * timers, not on a blocked thread.</li>
 * <li>Any other failure is tried {@link #PERMANENT_FAILURE_TRIES} times in all (so a shutdown in the middle of a
 * write does not count as the record's fault), then the record is nacked: it goes to the dead-letter topic
 * with the reason, and the consumer goes on with the next record instead of stalling every run behind it.</li>
 * </ul>
 */
@ApplicationScoped
public class RecordingRetry {

    private static final Logger LOG = Logger.getLogger(RecordingRetry.class);
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);
    static final int PERMANENT_FAILURE_TRIES = 3;

    /** @param what names the record in the log, e.g. "mlops.train.completed of run 42" */
    public Uni<Void> recordThenAck(String what, Runnable write, Message<?> record) {
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<Throwable> givenUp = new AtomicReference<>();
        return Uni.createFrom().item(() -> {
                    write.run();
                    return failures.get();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().retry().withBackOff(FIRST_DELAY, MAX_DELAY).until(e -> {
                    boolean transientFailure = TransientDatabaseFailure.causedIt(e);
                    int tries = failures.incrementAndGet();
                    if (transientFailure || tries < PERMANENT_FAILURE_TRIES) {
                        LOG.warnf("could not record %s (try %d, %s): %s; retrying in up to %d s", what, tries,
                                transientFailure ? "the database is unavailable" : "not an outage",
                                rootMessage(e), MAX_DELAY.toSeconds());
                        return true;
                    }
                    givenUp.set(e);
                    return false;
                })
                .onItemOrFailure().transformToUni((failed, error) -> {
                    if (error == null) {
                        if (failed > 0) {
                            LOG.infof("recorded %s after %d failed tries", what, failed);
                        }
                        return Uni.createFrom().completionStage(record::ack);
                    }
                    if (error != givenUp.get()) {
                        return Uni.createFrom().failure(error);
                    }
                    UnrecordableRecord reason = new UnrecordableRecord("the database refused it: " + rootMessage(error),
                            error);
                    LOG.errorf("could not record %s (%d tries); sent to %s: %s", what, failures.get(),
                            Topics.DEAD_LETTER, reason.getMessage());
                    return Uni.createFrom().completionStage(() -> record.nack(reason));
                })
                // only when the application stops during the retries: leave the record unacknowledged (it is
                // read again at the next start) rather than fail the channel or send it to the dead-letter topic
                .onFailure().recoverWithUni(e -> Uni.createFrom().nothing());
    }

    /** The innermost cause, escaped and cut (it may quote the stored value). */
    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return Text.quote(root.getClass().getSimpleName() + ": " + root.getMessage());
    }
}
