package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.RunStop;
import io.smallrye.reactive.messaging.kafka.api.KafkaMessageMetadata;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Whether an input event belongs to a stopped run ({@link RunStop}): such an event is acknowledged without a STARTED.
 * The stop is read as soon as the record arrives, by its Kafka key (every event is keyed by its run id), on a thread
 * of its own while the record is parsed: the hop to STARTED waits for what is left of one store round trip. A record
 * whose key does not name its event's run (injected by hand) has its run's stop read after parsing.
 */
@ApplicationScoped
public class StoppedRuns {

    private static final Logger LOG = Logger.getLogger(StoppedRuns.class);

    private final ArtifactStore store;
    private final ExecutorService reads = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "stage-stop-read");
        thread.setDaemon(true);
        return thread;
    });

    public StoppedRuns(ArtifactStore store) {
        this.store = store;
    }

    /** Starts reading the stop of the run the record's key names, if it has one. */
    public Check readAhead(Message<?> record) {
        Optional<String> runId = record.getMetadata(KafkaMessageMetadata.class).map(KafkaMessageMetadata::getKey)
                .filter(String.class::isInstance).map(String.class::cast);
        return new Check(runId.orElse(null), runId.map(id -> CompletableFuture.supplyAsync(() -> RunStop.read(store, id),
                reads)).orElse(null));
    }

    public boolean stopped(Stage stage, StageEvent input) {
        Optional<RunStop> stop;
        try {
            stop = RunStop.read(store, input.runId());
        } catch (RuntimeException e) {
            return unknown(stage, input, e);
        }
        return stopped(stage, input, stop);
    }

    private static boolean stopped(Stage stage, StageEvent input, Optional<RunStop> stop) {
        if (stop.isEmpty() || !stop.get().covers(input.attempt())) {
            return false;
        }
        LOG.infof("%s: run %s attempt %d was stopped by %s: the stage does not start", stage.id(), input.runId(),
                input.attempt(), stop.get().stoppedBy());
        return true;
    }

    /** The store is unreachable: do the work, whose own store access tries again and fails with the cause. */
    private static boolean unknown(Stage stage, StageEvent input, Throwable e) {
        LOG.debugf("%s: run %s: could not look for a stop: %s", stage.id(), input.runId(), e.getMessage());
        return false;
    }

    @PreDestroy
    void close() {
        reads.shutdownNow();
    }

    /** One record's stop check, its read already sent when the record's key named the run. */
    public final class Check {

        private final String runId;
        private final CompletableFuture<Optional<RunStop>> read;

        private Check(String runId, CompletableFuture<Optional<RunStop>> read) {
            this.runId = runId;
            this.read = read;
        }

        public boolean stopped(Stage stage, StageEvent input) throws ServiceStopping {
            if (read == null || !input.runId().equals(runId)) {
                return StoppedRuns.this.stopped(stage, input);
            }
            try {
                return StoppedRuns.stopped(stage, input, read.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceStopping();
            } catch (ExecutionException e) {
                return unknown(stage, input, e.getCause());
            }
        }
    }
}
