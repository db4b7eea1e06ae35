package dev.mlops.cli;

import dev.mlops.stack.launch.StackLayout;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * Starts a Quarkus service from its {@code quarkus-run.jar} as its own process (it outlives the CLI) and waits
 * until {@code GET /q/health/ready} answers 200; with {@link JvmOptions} and its {@link ClassDataArchive}.
 */
final class ServiceLauncher {

    private final Path home;
    private final StateDir state;

    ServiceLauncher(Path home, StateDir state) {
        this.home = home;
        this.state = state;
    }

    /** A started service process, not yet known to be ready. */
    record Started(ServiceModule service, Process process, int port, long logStart, long startedNanos) {
    }

    Started start(ServiceModule service, int port, Map<String, String> env) {
        Path log = state.log(service.name());
        List<String> command = new ArrayList<>();
        command.add(StackLayout.java());
        command.addAll(JvmOptions.of(service));
        command.addAll(new ClassDataArchive(state.classData()).options(service.name(), service.runJar(home)));
        command.add("-jar");
        command.add(service.runJar(home).toString());
        ProcessBuilder builder = detached(command, state, log, env);
        builder.environment().putAll(JvmOptions.ENVIRONMENT);
        try {
            long logStart = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            // recorded before it is ready, so that ./mlops down can stop it even if this CLI is interrupted
            PidRecord.of(service.name(), process.toHandle(), port, address(port), log).write(state.pids());
            return new Started(service, process, port, logStart, System.nanoTime());
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + service.name(), e);
        }
    }

    /** A process that outlives the CLI: runs in the state folder, reads nothing, appends its output to {@code log}. */
    static ProcessBuilder detached(List<String> command, StateDir state, Path log, Map<String, String> env) {
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(state.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return builder;
    }

    static String address(int port) {
        return "http://" + Network.HOST + ":" + port;
    }

    /** Waits until the service is ready; empty when it is, else what went wrong (with the end of its log). */
    Optional<String> awaitReady(Started started, Duration timeout) {
        String name = started.service().name();
        Readiness readiness = awaitReadiness(started.process()::isAlive, started.port(),
                started.startedNanos() + timeout.toNanos());
        if (readiness == Readiness.READY) {
            return Optional.empty();
        }
        if (readiness == Readiness.EXITED) {
            PidRecord.delete(state.pids(), name);
            return Optional.of(name + " exited with code " + started.process().exitValue()
                    + " before it was ready; the end of its log (" + state.log(name) + "):\n" + logTail(started));
        }
        String tail = logTail(started);
        dev.mlops.stack.launch.ServerProcess.stop(started.process().toHandle(), Duration.ofSeconds(10));
        PidRecord.delete(state.pids(), name);
        return Optional.of(name + " did not answer GET " + address(started.port()) + "/q/health/ready with 200 within "
                + timeout.toSeconds() + " s and was stopped; the end of its log (" + state.log(name) + "):\n" + tail);
    }

    enum Readiness { READY, EXITED, TIMED_OUT }

    /** Polls {@code GET /q/health/ready} until it answers 200, the process ends, or the deadline passes. */
    static Readiness awaitReadiness(BooleanSupplier alive, int port, long deadlineNanos) {
        return await(alive, () -> Network.readiness(port), deadlineNanos);
    }

    /**
     * Asks {@code probe} (an HTTP status, 0 when nothing answers) every half second until it answers 200, the process
     * ends, or the deadline passes; it is asked at least once, even past the deadline.
     */
    static Readiness await(BooleanSupplier alive, IntSupplier probe, long deadlineNanos) {
        while (true) {
            if (!alive.getAsBoolean()) {
                return Readiness.EXITED;
            }
            if (probe.getAsInt() == 200) {
                return Readiness.READY;
            }
            if (System.nanoTime() >= deadlineNanos) {
                return Readiness.TIMED_OUT;
            }
            sleep(500);
        }
    }

    private String logTail(Started started) {
        return Logs.tail(state.log(started.service().name()), started.logStart(), 30);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
