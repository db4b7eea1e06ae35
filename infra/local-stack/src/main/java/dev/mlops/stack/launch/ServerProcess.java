package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * A server started as its own OS process, output appended to a log file, considered up once its log shows a line
 * starting with the ready marker or once it answers. Outlives the JVM that started it unless stopped or started to
 * exit with it; one that does not get ready is stopped.
 */
public final class ServerProcess {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** Started and considered up once its log shows a line starting with {@code readyMarker}. */
    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                      Path logFile, String readyMarker, Duration timeout) {
        return start(name, command, env, workDir, logFile, log -> log.lines().anyMatch(l -> l.startsWith(readyMarker)),
                timeout, false);
    }

    /**
     * Started and considered up once {@code answers} says so (a request to the server succeeds), for servers that
     * print no ready line of their own (docker-registry, podman system service).
     *
     * @param exitWithThisJvm killed when the starting JVM exits (tests); false for ./mlops, whose servers outlive it
     */
    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                      Path logFile, BooleanSupplier answers, Duration timeout,
                                      boolean exitWithThisJvm) {
        return start(name, command, env, workDir, logFile, log -> answers.getAsBoolean(), timeout, exitWithThisJvm);
    }

    /** @param ready tells from the log written since the start (or otherwise) whether the server is up */
    private static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                       Path logFile, Predicate<String> ready, Duration timeout,
                                       boolean exitWithThisJvm) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            Process process = builder.start();
            if (exitWithThisJvm) {
                Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
            }
            ServerProcess server = new ServerProcess(name, process, logFile);
            server.awaitReady(ready, logStart, timeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Waits until {@code ready}; stops the process when it does not get there (timeout, interrupt). */
    private void awaitReady(Predicate<String> ready, long logStart, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                if (ready.test(newLog(logStart))) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with code " + process.exitValue()
                            + " before it was ready; its log (" + logFile + ") ends with:\n" + tail(newLog(logStart)));
                }
                sleep(100);
            }
        } catch (RuntimeException e) {
            stop(Duration.ofSeconds(5));
            throw e;
        }
        stop(Duration.ofSeconds(5));
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds()
                + " s and was stopped; its log (" + logFile + ") ends with:\n" + tail(newLog(logStart)));
    }

    private String newLog(long from) throws IOException {
        byte[] all = Files.readAllBytes(logFile);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from));
    }

    private static String tail(String log) {
        List<String> lines = log.lines().toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, then SIGKILL after {@code grace}. */
    public void stop(Duration grace) {
        stop(process.toHandle(), grace);
    }

    /** Stops any process by handle, e.g. one found from a pid file: SIGTERM, then SIGKILL after {@code grace}. */
    public static boolean stop(ProcessHandle handle, Duration grace) {
        if (!handle.isAlive()) {
            return false;
        }
        handle.destroy();
        try {
            handle.onExit().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.descendants().forEach(ProcessHandle::destroyForcibly);
            handle.destroyForcibly();
        }
        return true;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
