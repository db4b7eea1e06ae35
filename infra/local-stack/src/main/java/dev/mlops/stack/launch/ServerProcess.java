package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A server started as its own OS process, output to a log file, considered up once its log shows a line
 * starting with the ready marker. Outlives the JVM that started it unless stopped.
 */
public final class ServerProcess {

    private final String name;
    private final Process process;
    private final Path logFile;
    private String readyLine;

    private ServerProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    public static ServerProcess start(String name, List<String> command, Map<String, String> env, Path workDir,
                                      Path logFile, String readyMarker, Duration timeout) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().putAll(env);
            long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
            ServerProcess server = new ServerProcess(name, builder.start(), logFile);
            server.awaitReady(readyMarker, logStart, timeout);
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    private void awaitReady(String marker, long logStart, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<String> line = newLog(logStart).lines().filter(l -> l.startsWith(marker)).findFirst();
            if (line.isPresent()) {
                readyLine = line.get();
                return;
            }
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue()
                        + " before it was ready; its log (" + logFile + ") ends with:\n" + tail(newLog(logStart)));
            }
            sleep(100);
        }
        stop(Duration.ofSeconds(5));
        throw new IllegalStateException(name + " was not ready within " + timeout.toSeconds()
                + " s; its log (" + logFile + ") ends with:\n" + tail(newLog(logStart)));
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

    public Path logFile() {
        return logFile;
    }

    /** The ready line, e.g. {@code READY kafka 127.0.0.1:9092}. */
    public String readyLine() {
        return readyLine;
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
