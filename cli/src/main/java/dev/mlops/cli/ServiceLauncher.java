package dev.mlops.cli;

import dev.mlops.stack.launch.StackLayout;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts a Quarkus service from its {@code quarkus-run.jar} as its own process (it outlives the CLI) and waits
 * until {@code GET /q/health/ready} answers 200.
 */
final class ServiceLauncher {

    static final String HEAP = "-Xmx512m";

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
        List<String> command = List.of(StackLayout.java(), HEAP, "-jar", service.runJar(home).toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(state.root().toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
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

    static String address(int port) {
        return "http://" + Network.HOST + ":" + port;
    }

    /** Waits until the service is ready; empty when it is, else what went wrong (with the end of its log). */
    Optional<String> awaitReady(Started started, Duration timeout) {
        String name = started.service().name();
        long deadline = started.startedNanos() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!started.process().isAlive()) {
                PidRecord.delete(state.pids(), name);
                return Optional.of(name + " exited with code " + started.process().exitValue()
                        + " before it was ready; the end of its log (" + state.log(name) + "):\n" + logTail(started));
            }
            if (Network.readiness(started.port()) == 200) {
                return Optional.empty();
            }
            sleep(500);
        }
        String tail = logTail(started);
        dev.mlops.stack.launch.ServerProcess.stop(started.process().toHandle(), Duration.ofSeconds(10));
        PidRecord.delete(state.pids(), name);
        return Optional.of(name + " did not answer GET " + address(started.port()) + "/q/health/ready with 200 within "
                + timeout.toSeconds() + " s and was stopped; the end of its log (" + state.log(name) + "):\n" + tail);
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
