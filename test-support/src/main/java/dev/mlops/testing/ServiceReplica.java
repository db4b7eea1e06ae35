package dev.mlops.testing;

import dev.mlops.stack.launch.ServerProcess;
import dev.mlops.stack.launch.StackLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Another instance of (part of) the service under test, as its own JVM on the test's classpath: a replica a test can
 * stop, or kill with SIGKILL as a lost node would die. Its output goes to {@code target/test-infra-.../logs/<name>.log}.
 */
public final class ServiceReplica implements AutoCloseable {

    private final ServerProcess process;

    private ServiceReplica(ServerProcess process) {
        this.process = process;
    }

    /** Runs {@code mainClass} with {@code args}; up once its output has a line starting with {@code readyMarker}. */
    public static ServiceReplica start(String name, Class<?> mainClass, List<String> args, String readyMarker) {
        List<String> command = new ArrayList<>(List.of(StackLayout.java(), "-Xmx256m", "-XX:+UseSerialGC", "-cp",
                System.getProperty("java.class.path"), mainClass.getName()));
        command.addAll(args);
        Path logs = TestInfrastructure.root().resolve("logs");
        Path log = logs.resolve(name + ".log");
        return new ServiceReplica(ServerProcess.start(name, command, Map.of(), logs, log,
                () -> printed(log, readyMarker), Duration.ofSeconds(60), true));
    }

    private static boolean printed(Path log, String marker) {
        try {
            return Files.exists(log) && Files.readAllLines(log).stream().anyMatch(line -> line.startsWith(marker));
        } catch (IOException e) {
            return false;
        }
    }

    /** Everything it printed so far. */
    public String output() {
        try {
            return Files.readString(process.logFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL: no shutdown hook, no goodbye to the broker. */
    public void kill() {
        process.handle().destroyForcibly();
        process.handle().onExit().join();
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
