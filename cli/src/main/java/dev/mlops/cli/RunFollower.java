package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.tracking.TrackingException;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Follows a run by polling {@code GET /pipelines/{runId}} until it ends: one line per stage transition, the
 * progress of a stage that reports it (rewritten in place on a terminal, every few seconds otherwise), and a hint
 * naming the service that does not pick up a stage left PENDING too long.
 */
final class RunFollower {

    /** Where run states come from: tracking-svc in real use. */
    interface RunSource {
        JsonNode run(String runId);
    }

    /** Time, so the follower can run against a scripted clock in tests. */
    interface Clock {
        long millis();

        void sleep(long millis);

        Clock SYSTEM = new Clock() {
            @Override
            public long millis() {
                return System.currentTimeMillis();
            }

            @Override
            public void sleep(long millis) {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException("interrupted");
                }
            }
        };
    }

    static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
    static final Duration STALL_AFTER = Duration.ofSeconds(60);
    static final Duration UNREACHABLE_LIMIT = Duration.ofSeconds(60);
    static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
    private static final String CLEAR_LINE = "\r\033[K";

    private final RunSource source;
    private final UnaryOperator<String> stallAdvice;
    private final PrintStream out;
    private final boolean terminal;
    private final Clock clock;

    private final Map<String, String> lastState = new HashMap<>();
    private final Map<String, String> lastProgress = new HashMap<>();
    private final Map<String, Long> lastProgressPrinted = new HashMap<>();
    private final Set<String> stallReported = new HashSet<>();
    private String awaited;
    private long awaitedSince;
    private boolean progressLineOpen;

    /**
     * @param stallAdvice from a stage name to what to tell the user when no service picks that stage up
     * @param terminal    whether progress may be rewritten in place
     */
    RunFollower(RunSource source, UnaryOperator<String> stallAdvice, PrintStream out, boolean terminal, Clock clock) {
        this.source = source;
        this.stallAdvice = stallAdvice;
        this.out = out;
        this.terminal = terminal;
        this.clock = clock;
    }

    /** Follows the run until it is no longer RUNNING and returns its last state. */
    JsonNode follow(String runId, Duration timeout) {
        long deadline = clock.millis() + timeout.toMillis();
        long unreachableSince = -1;
        while (true) {
            long now = clock.millis();
            JsonNode run;
            try {
                run = source.run(runId);
                unreachableSince = -1;
            } catch (TrackingException e) {
                if (e.status() == 404) {
                    throw new CliException("tracking-svc knows no run " + runId);
                }
                if (e.status() != 0) {
                    throw new CliException(e.getMessage());
                }
                if (unreachableSince < 0) {
                    unreachableSince = now;
                    line("  (tracking-svc is not answering; retrying for " + UNREACHABLE_LIMIT.toSeconds() + " s)");
                } else if (now - unreachableSince >= UNREACHABLE_LIMIT.toMillis()) {
                    throw new CliException(e.getMessage() + "\nthe run may go on: ./mlops status " + runId
                            + " shows it once tracking-svc is back (./mlops status shows the stack)");
                }
                clock.sleep(POLL_INTERVAL.toMillis());
                continue;
            }
            show(run, now);
            if (hasEnded(run)) {
                endProgressLine();
                return run;
            }
            if (now >= deadline) {
                endProgressLine();
                throw new CliException("run " + runId + " is still " + RunView.status(run) + " after "
                        + Durations.format(timeout) + "; it goes on: ./mlops status " + runId + " shows it");
            }
            clock.sleep(POLL_INTERVAL.toMillis());
        }
    }

    static boolean hasEnded(JsonNode run) {
        String status = RunView.status(run);
        return !status.isEmpty() && !status.equals(RunView.RUNNING) && !status.equals(RunView.PENDING);
    }

    private void show(JsonNode run, long now) {
        for (JsonNode stage : RunView.stages(run)) {
            String name = RunView.name(stage);
            String status = RunView.status(stage);
            String state = status + "#" + RunView.attempt(stage);
            if (!state.equals(lastState.put(name, state)) && !status.equals(RunView.PENDING)) {
                line(RunView.stageLine(stage));
                lastProgress.remove(name);
            }
            if (status.equals(RunView.RUNNING)) {
                RunView.progress(stage).ifPresent(p -> showProgress(stage, p, now));
            }
        }
        warnIfStalled(run, now);
    }

    private void showProgress(JsonNode stage, String progress, long now) {
        String name = RunView.name(stage);
        if (progress.equals(lastProgress.get(name))) {
            return;
        }
        String line = RunView.progressLine(stage).orElseThrow();
        if (terminal) {
            out.print(CLEAR_LINE + line);
            out.flush();
            progressLineOpen = true;
        } else {
            Long printed = lastProgressPrinted.get(name);
            if (printed != null && now - printed < PROGRESS_EVERY.toMillis()) {
                return;
            }
            out.println(line);
            lastProgressPrinted.put(name, now);
        }
        lastProgress.put(name, progress);
    }

    private void warnIfStalled(JsonNode run, long now) {
        String next = awaitedStage(run);
        if (next == null || !next.equals(awaited)) {
            awaited = next;
            awaitedSince = now;
            return;
        }
        if (now - awaitedSince >= STALL_AFTER.toMillis() && stallReported.add(next)) {
            line("  " + next + " is still PENDING after " + STALL_AFTER.toSeconds() + " s: " + stallAdvice.apply(next));
        }
    }

    /** The stage that should be picked up next: the first PENDING one after only COMPLETED ones; null if none. */
    static String awaitedStage(JsonNode run) {
        if (!RunView.RUNNING.equals(RunView.status(run))) {
            return null;
        }
        List<JsonNode> stages = RunView.stages(run);
        if (stages.isEmpty()) {
            return dev.mlops.common.event.Stage.INGEST.id();
        }
        for (JsonNode stage : stages) {
            String status = RunView.status(stage);
            if (status.equals(RunView.PENDING)) {
                return RunView.name(stage);
            }
            if (!status.equals(RunView.COMPLETED)) {
                return null;
            }
        }
        return null;
    }

    private void line(String text) {
        if (progressLineOpen) {
            out.print(CLEAR_LINE);
            progressLineOpen = false;
        }
        out.println(text);
    }

    private void endProgressLine() {
        if (progressLineOpen) {
            out.println();
            progressLineOpen = false;
        }
    }
}
