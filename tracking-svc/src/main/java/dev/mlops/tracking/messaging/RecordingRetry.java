package dev.mlops.tracking.messaging;

import dev.mlops.tracking.repository.DatabaseUnavailable;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes what a consumed record says to the database, on a worker thread, and retries with exponential backoff
 * (0.5 s doubling to 5 s) until the write succeeds, then acknowledges the record. A record that fails to persist
 * (PostgreSQL stopped, say) is thus neither lost nor sent to the dead-letter topic, and as a consumer handles one
 * record at a time, none overtakes it: the consumer waits, and catches up once the database answers. The wait
 * happens on timers, not on a blocked thread.
 */
@ApplicationScoped
public class RecordingRetry {

    private static final Logger LOG = Logger.getLogger(RecordingRetry.class);
    static final Duration FIRST_DELAY = Duration.ofMillis(500);
    static final Duration MAX_DELAY = Duration.ofSeconds(5);

    /** @param what names the record in the log, e.g. "mlops.train.completed of run 42" */
    public Uni<Void> recordThenAck(String what, Runnable write, Message<?> record) {
        AtomicInteger failures = new AtomicInteger();
        return Uni.createFrom().item(() -> {
                    write.run();
                    return failures.get();
                })
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .onFailure().invoke(e -> LOG.warnf("could not record %s (try %d, %s): %s; retrying in up to %d s",
                        what, failures.incrementAndGet(),
                        DatabaseUnavailable.causedIt(e) ? "the database is unavailable" : "unexpected failure",
                        rootMessage(e), MAX_DELAY.toSeconds()))
                .onFailure().retry().withBackOff(FIRST_DELAY, MAX_DELAY).indefinitely()
                .invoke(failed -> {
                    if (failed > 0) {
                        LOG.infof("recorded %s after %d failed tries", what, failed);
                    }
                })
                .chain(() -> Uni.createFrom().completionStage(record::ack))
                // only when the application stops during the retries: leave the record unacknowledged (it is
                // read again at the next start) rather than fail the channel or send it to the dead-letter topic
                .onFailure().recoverWithUni(e -> Uni.createFrom().nothing());
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
