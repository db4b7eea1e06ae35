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

    /** Where {@code up} starts the image registry (Debian's docker-registry). */
    int registryPort() {
        return port("MLOPS_REGISTRY_PORT", 5000);
    }

    /** MLOPS_IMAGE_REGISTRY: a registry of your own for every image; then {@code up} starts none. */
    Optional<String> externalRegistry() {
        return get("MLOPS_IMAGE_REGISTRY");
    }

    /** MLOPS_IMAGE_BASE: the serving images' base chosen by the user; then {@code up} assembles none. */
    Optional<String> imageBase() {
        return get("MLOPS_IMAGE_BASE");
    }

    /**
     * Where the serving base image assembled from Debian's packages is cached: MLOPS_CACHE_DIR, else
     * {@code $XDG_CACHE_HOME/mlops}, else {@code ~/.cache/mlops}. Not in the state folder: it depends on nothing a
     * stack keeps, so every state folder (scratch stacks of tests and benchmarks, one after {@code down --purge})
     * reuses one assembly instead of downloading the packages again.
     */
    Path cacheDir() {
        return get("MLOPS_CACHE_DIR").map(Path::of)
                .or(() -> get("XDG_CACHE_HOME").map(dir -> Path.of(dir, "mlops")))
                .orElseGet(() -> Path.of(get("HOME").orElse(System.getProperty("user.home")), ".cache", "mlops"))
                .toAbsolutePath().normalize();
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
        registryPort();
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
