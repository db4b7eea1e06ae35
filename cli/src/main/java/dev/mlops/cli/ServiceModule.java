package dev.mlops.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A platform service the CLI can start: its Maven module, default port and the variable that overrides the port.
 *
 * @param stage the pipeline stage it runs, empty for tracking-svc
 */
record ServiceModule(String name, int defaultPort, String portVariable, Optional<String> stage) {

    static final ServiceModule TRACKING = new ServiceModule("tracking-svc", 8080, "MLOPS_TRACKING_PORT", Optional.empty());

    /** In start order; tracking-svc first since every stage reports to it. */
    static final List<ServiceModule> ALL = List.of(
            TRACKING,
            stage("ingest", 8081),
            stage("preprocess", 8082),
            stage("train", 8083),
            stage("evaluate", 8084),
            stage("image", 8085),
            stage("deploy", 8086));

    private static ServiceModule stage(String stage, int port) {
        return new ServiceModule(stage + "-svc", port, "MLOPS_" + stage.toUpperCase() + "_PORT", Optional.of(stage));
    }

    static Optional<ServiceModule> forStage(String stage) {
        return ALL.stream().filter(s -> s.stage.filter(stage::equals).isPresent()).findFirst();
    }

    /** What {@code ./mvnw package} builds: Quarkus' fast-jar launcher. */
    Path runJar(Path home) {
        return home.resolve(name).resolve("target/quarkus-app/quarkus-run.jar");
    }

    boolean isBuilt(Path home) {
        return Files.isRegularFile(runJar(home));
    }
}
