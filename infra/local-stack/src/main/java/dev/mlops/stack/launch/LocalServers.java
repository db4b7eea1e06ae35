package dev.mlops.stack.launch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts the platform's infrastructure as separate processes: used by {@code ./mlops up} and by the tests'
 * Quarkus test resources, so both run exactly the same servers.
 *
 * @param exitWithThisJvm servers end when the starting JVM ends (tests); false for ./mlops, whose stack outlives it
 * @param jvmOptions       what every server's JVM gets besides its own options (./mlops: how the JIT compiles)
 */
public record LocalServers(StackLayout layout, Path logDir, boolean exitWithThisJvm, List<String> jvmOptions) {

    public LocalServers(StackLayout layout, Path logDir, boolean exitWithThisJvm) {
        this(layout, logDir, exitWithThisJvm, List.of());
    }

    public static final String READY = "READY";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    public ServerProcess kafka(int port, int controllerPort, Path dataDir, List<String> topics) {
        return start("kafka", List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), layout.serversClasspath(),
                "dev.mlops.stack.server.KafkaBroker",
                List.of("--port", String.valueOf(port), "--controller-port", String.valueOf(controllerPort),
                        "--data-dir", dataDir.toString(), "--topics", String.join(",", topics)));
    }

    public ServerProcess postgres(int port, Path dataDir, String database, String user, String password) {
        return start("postgres", List.of("-Xmx256m", "-XX:+UseSerialGC"), layout.serversClasspath(),
                "dev.mlops.stack.server.PostgresServer",
                List.of("--port", String.valueOf(port), "--data-dir", dataDir.toString(),
                        "--database", database, "--user", user, "--password", password));
    }

    public ServerProcess s3(int port, Path dataDir, String bucket, String accessKey, String secretKey) {
        String classpath = layout.classesDir() + java.io.File.pathSeparator + layout.s3proxyJar();
        return start("s3", List.of("-Xmx256m", "-XX:+UseSerialGC",
                        "-Dlogback.configurationFile=" + layout.classesDir().resolve("s3proxy-logback.xml")),
                classpath, "dev.mlops.stack.server.S3Server",
                List.of("--port", String.valueOf(port), "--data-dir", dataDir.toString(), "--bucket", bucket,
                        "--access-key", accessKey, "--secret-key", secretKey));
    }

    private ServerProcess start(String name, List<String> serverOptions, String classpath, String mainClass,
                                List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(StackLayout.java());
        command.addAll(jvmOptions);
        command.addAll(serverOptions);
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(args);
        if (exitWithThisJvm) {
            command.add("--parent-pid");
            command.add(String.valueOf(ProcessHandle.current().pid()));
        }
        return ServerProcess.start(name, command, Map.of(), logDir, logDir.resolve(name + ".log"), READY,
                START_TIMEOUT);
    }
}
