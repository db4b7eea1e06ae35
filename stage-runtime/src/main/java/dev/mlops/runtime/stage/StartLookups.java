package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.store.RunStop;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The store reads a stage needs before its work, sent at once on a small pool of warm threads once STARTED is
 * published: the run's stop marker ({@link StoppedRuns}), the earlier output of the same (run, stage, attempt)
 * ({@link OutputReplay}) and its earlier starts ({@link CrashCount}). The hop to STARTED waits for none of them, and
 * they do not compete with STARTED's send for the two cores of a small machine.
 */
@ApplicationScoped
public class StartLookups {

    private final StoppedRuns stoppedRuns;
    private final OutputReplay replay;
    private final CrashCount crashes;
    private final ExecutorService pool = Executors.newFixedThreadPool(3, task -> {
        Thread thread = new Thread(task, "stage-start-lookups");
        thread.setDaemon(true);
        return thread;
    });

    public StartLookups(StoppedRuns stoppedRuns, OutputReplay replay, CrashCount crashes) {
        this.stoppedRuns = stoppedRuns;
        this.replay = replay;
        this.crashes = crashes;
    }

    /** Sends the reads of the stop, the earlier output and the earlier starts of this input. */
    public Lookups begin(Stage stage, StageEvent input) {
        return new Lookups(async(() -> stoppedRuns.read(stage, input)), async(() -> replay.earlierOutput(stage, input)),
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

        private final CompletableFuture<Optional<RunStop>> stop;
        private final CompletableFuture<Optional<StageEvent>> earlierOutput;
        private final CompletableFuture<Integer> earlierStarts;

        private Lookups(CompletableFuture<Optional<RunStop>> stop, CompletableFuture<Optional<StageEvent>> earlierOutput,
                        CompletableFuture<Integer> earlierStarts) {
            this.stop = stop;
            this.earlierOutput = earlierOutput;
            this.earlierStarts = earlierStarts;
        }

        /** The stop covering this input's attempt, if its run was stopped. */
        public Optional<RunStop> stop() throws ServiceStopping {
            return join(stop);
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
