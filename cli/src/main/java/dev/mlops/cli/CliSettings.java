package dev.mlops.cli;

import dev.mlops.common.store.S3Settings;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/** What the environment says: where the repository and the state folder are, ports, an external database. */
record CliSettings(Path home, StateDir state, Map<String, String> env) {

    static final String DB_NAME = "mlops";

    static CliSettings of(Path home, Map<String, String> env) {
        Path stateRoot = Optional.ofNullable(blankToNull(env.get("MLOPS_STATE_DIR")))
                .map(p -> Path.of(p))
                .orElse(home.resolve(".mlops"));
        return new CliSettings(home, new StateDir(stateRoot.toAbsolutePath().normalize()), env);
    }

    Optional<String> get(String variable) {
        return Optional.ofNullable(blankToNull(env.get(variable)));
    }

    int port(String variable, int defaultPort) {
        String value = get(variable).orElse(null);
        if (value == null) {
            return defaultPort;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new CliException(variable + " must be a port number between 1 and 65535, got '" + value + "'");
    }

    int kafkaPort() {
        return port("MLOPS_KAFKA_PORT", 9092);
    }

    int kafkaControllerPort() {
        return port("MLOPS_KAFKA_CONTROLLER_PORT", 9093);
    }

    int s3Port() {
        return port("MLOPS_S3_PORT", 9000);
    }

    int postgresPort() {
        return port("MLOPS_PG_PORT", 5432);
    }

    /** Where deploy-svc serves locally deployed models ({@code /invocations}). */
    int servingPort() {
        return port("MLOPS_SERVING_PORT", 8090);
    }

    /** Where {@code ./mlops observe} starts Prometheus. */
    int prometheusPort() {
        return port("MLOPS_PROMETHEUS_PORT", 9090);
    }

    int port(ServiceModule service) {
        return port(service.portVariable(), service.defaultPort());
    }

    /** Fails on a port variable that is not a port, before anything is created or started. */
    void validatePorts() {
        kafkaPort();
        kafkaControllerPort();
        s3Port();
        postgresPort();
        servingPort();
        prometheusPort();
        ServiceModule.ALL.forEach(this::port);
    }

    String bucket() {
        return get("MLOPS_S3_BUCKET").orElse(S3Settings.DEFAULT_BUCKET);
    }

    /** {@code MLOPS_DB_URL}: use this PostgreSQL instead of starting one. */
    Optional<String> externalDbUrl() {
        return get("MLOPS_DB_URL");
    }

    /** The dataset a pipeline spec without {@code dataset.uri} reads: the Titanic CSV shipped in the repository. */
    String defaultDatasetUri() {
        return "file:" + home.resolve("data/titanic.csv").toAbsolutePath().normalize();
    }

    /**
     * Where ingest may read {@code file:} datasets: {@code MLOPS_INGEST_FILE_ROOTS}, else the repository's data folder
     * and the state folder's datasets folder; never the whole home folder, where credentials live.
     */
    String ingestFileRoots() {
        return get("MLOPS_INGEST_FILE_ROOTS").orElse(home.resolve("data").toAbsolutePath().normalize() + ","
                + state.datasets());
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
