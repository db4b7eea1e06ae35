package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Two of the store reads a stage needs before its work, the earlier output of the same (run, stage, attempt)
 * ({@link OutputReplay}) and its earlier starts ({@link CrashCount}), sent at once on a small pool of warm threads
 * while the caller publishes STARTED: the hop to STARTED waits for one round trip to the store (the stop,
 * {@link StoppedRuns}), not four in a row.
 */
@ApplicationScoped
public class StartLookups {

    private final OutputReplay replay;
    private final CrashCount crashes;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "stage-start-lookups");
        thread.setDaemon(true);
        return thread;
    });

    public StartLookups(OutputReplay replay, CrashCount crashes) {
        this.replay = replay;
        this.crashes = crashes;
    }

    /** Sends the reads of the earlier output and starts of this input. */
    public Lookups begin(Stage stage, StageEvent input) {
        return new Lookups(async(() -> replay.earlierOutput(stage, input)),
                async(() -> crashes.earlierStarts(stage, input)));
    }

    private <T> CompletableFuture<T> async(Supplier<T> read) {
        return CompletableFuture.supplyAsync(read, pool);
    }

    @PreDestroy
    void close() {
        pool.shutdownNow();
    }

    /** The answers of one input's reads; each read already turns an unreachable store into "nothing found". */
    public static final class Lookups {

        private final CompletableFuture<Optional<StageEvent>> earlierOutput;
        private final CompletableFuture<Integer> earlierStarts;

        private Lookups(CompletableFuture<Optional<StageEvent>> earlierOutput, CompletableFuture<Integer> earlierStarts) {
            this.earlierOutput = earlierOutput;
            this.earlierStarts = earlierStarts;
        }

        public Optional<StageEvent> earlierOutput() throws ServiceStopping {
            return join(earlierOutput);
        }

        public int earlierStarts() throws ServiceStopping {
            return join(earlierStarts);
        }

        private static <T> T join(CompletableFuture<T> read) throws ServiceStopping {
            try {
                return read.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ServiceStopping();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a store lookup failed: " + e.getCause(), e.getCause());
            }
        }
    }
}
