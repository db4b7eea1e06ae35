package dev.mlops.cli;

import dev.mlops.stack.launch.LocalServers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The local stack: Kafka, S3 and PostgreSQL (started through local-stack's {@link LocalServers}) and every built
 * service, each its own process that outlives the CLI, recorded in {@code <state>/pids} so that {@code up} never
 * starts anything twice and {@code down} stops only what {@code up} started. This class answers what runs where;
 * {@link StackStarter} and {@link StackStopper} start and stop it.
 */
final class LocalStack {

    static final String KAFKA = "kafka";
    static final String S3 = "s3";
    static final String POSTGRES = "postgres";
    static final List<String> INFRA = List.of(KAFKA, S3, POSTGRES);
    /** Debian's docker-registry and podman's Docker Engine API: started when installed, for images and containers. */
    static final String REGISTRY = "registry";
    static final String PODMAN = "podman";
    static final List<String> IMAGE_INFRA = List.of(REGISTRY, PODMAN);
    static final String DOCKER_HOST_VARIABLE = "MLOPS_DEPLOY_CONTAINER_DOCKER_HOST";
    static final String SERVER_JAR_VARIABLE = "MLOPS_DEPLOY_LOCAL_SERVER_JAR";
    private static final String DEPLOY_SERVICE = "deploy-svc";
    private static final String MODEL_SERVER_JAR = "model-server/target/quarkus-app/quarkus-run.jar";

    private final CliSettings settings;
    private final StateDir state;

    LocalStack(CliSettings settings) {
        this.settings = settings;
        this.state = settings.state();
    }

    CliSettings settings() {
        return settings;
    }

    /** The live pid record of a component this CLI started, if it is running. */
    Optional<PidRecord> running(String name) {
        return PidRecord.read(state.pids(), name).filter(r -> r.liveProcess().isPresent());
    }

    boolean usesExternalDb() {
        return settings.externalDbUrl().isPresent();
    }

    List<ServiceModule> builtServices() {
        return ServiceModule.ALL.stream().filter(s -> s.isBuilt(settings.home())).toList();
    }

    /** The port a component listens on: the one it was started with if it runs, else the configured one. */
    int port(String name) {
        return running(name).map(PidRecord::port).orElseGet(() -> switch (name) {
            case KAFKA -> settings.kafkaPort();
            case S3 -> settings.s3Port();
            case POSTGRES -> settings.postgresPort();
            case REGISTRY -> settings.registryPort();
            case PODMAN -> 0;
            default -> settings.port(service(name));
        });
    }

    /** Where a component listens (or would listen, if it is not running). */
    String address(String name) {
        return running(name).map(PidRecord::address).orElseGet(() -> switch (name) {
            case KAFKA -> Network.HOST + ":" + port(KAFKA);
            case S3 -> s3Endpoint();
            case POSTGRES -> jdbcUrl();
            case REGISTRY -> localRegistryAddress();
            case PODMAN -> dockerHostOf(state.podmanSocket());
            default -> ServiceLauncher.address(port(name));
        });
    }

    /** {@code 127.0.0.1:PORT} of the registry {@code up} starts (running or not). */
    String localRegistryAddress() {
        return Network.HOST + ":" + port(REGISTRY);
    }

    /** Where images go: MLOPS_IMAGE_REGISTRY, else the local registry while it runs. */
    Optional<String> imageRegistry() {
        return settings.externalRegistry().or(() -> running(REGISTRY).map(r -> localRegistryAddress()));
    }

    /** The Docker Engine API of the podman service {@code up} started, while it runs. */
    Optional<String> dockerHost() {
        return running(PODMAN).map(r -> dockerHostOf(state.podmanSocket()));
    }

    static String dockerHostOf(Path socket) {
        return "unix://" + socket.toAbsolutePath();
    }

    /** podman with this stack's configuration (the local registry reached over plain HTTP). */
    Podman podman() {
        return Podman.configured(state, List.of(localRegistryAddress()));
    }

    String jdbcUrl() {
        return settings.externalDbUrl()
                .orElse("jdbc:postgresql://" + Network.HOST + ":" + port(POSTGRES) + "/" + CliSettings.DB_NAME);
    }

    String s3Endpoint() {
        return "http://" + Network.HOST + ":" + port(S3);
    }

    String trackingUrl() {
        return settings.get("MLOPS_TRACKING_URL").orElse(ServiceLauncher.address(port(ServiceModule.TRACKING.name())));
    }

    /** The tracking API's bearer token: MLOPS_API_TOKEN, else the one 'up' generated (none before the first 'up'). */
    Optional<String> apiToken() {
        return settings.get("MLOPS_API_TOKEN").or(() -> Files.exists(state.credentials())
                ? Optional.of(Credentials.loadOrCreate(state.credentials(), settings).apiToken()) : Optional.empty());
    }

    /** What every service is started with: where Kafka, PostgreSQL, S3 and tracking-svc are. */
    Map<String, String> serviceEnvironment(int httpPort, Credentials credentials) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("QUARKUS_HTTP_PORT", String.valueOf(httpPort));
        env.put("QUARKUS_HTTP_HOST", Network.HOST);
        env.put("KAFKA_BOOTSTRAP_SERVERS", Network.HOST + ":" + port(KAFKA));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", jdbcUrl());
        env.put("QUARKUS_DATASOURCE_USERNAME", credentials.dbUser());
        env.put("QUARKUS_DATASOURCE_PASSWORD", credentials.dbPassword());
        env.put("MLOPS_S3_ENDPOINT", s3Endpoint());
        env.put("MLOPS_S3_ACCESS_KEY", credentials.s3AccessKey());
        env.put("MLOPS_S3_SECRET_KEY", credentials.s3SecretKey());
        env.put("MLOPS_S3_BUCKET", settings.bucket());
        env.put("MLOPS_TRACKING_URL", trackingUrl());
        env.put("MLOPS_PIPELINE_DEFAULT_DATASET_URI", settings.defaultDatasetUri());
        env.put("MLOPS_API_TOKEN", credentials.apiToken());
        env.put("MLOPS_INGEST_FILE_ROOTS", settings.ingestFileRoots());
        // deploy-svc's stable front for locally served models
        env.put("MLOPS_DEPLOY_LOCAL_PORT", String.valueOf(settings.servingPort()));
        return env;
    }

    /** Everything {@code service} is started with, as a container: {@link #serviceEnvironment}, then {@link #imageEnvironment}. */
    Map<String, String> environment(ServiceModule service, int port, Credentials credentials,
                                    Optional<String> imageBase) {
        Map<String, String> env = serviceEnvironment(port, credentials);
        env.putAll(imageEnvironment(service, imageBase));
        return env;
    }

    /**
     * Everything {@code service} is started with, as a process: {@link #environment}, and for deploy-svc model-server's
     * jar (the user's MLOPS_DEPLOY_LOCAL_SERVER_JAR, else the repository's once built), which {@code deploy.target:
     * local} runs; without it deploy-svc looks below its working folder, the state folder, which may be anywhere.
     */
    Map<String, String> processEnvironment(ServiceModule service, int port, Credentials credentials,
                                           Optional<String> imageBase) {
        Map<String, String> env = environment(service, port, credentials, imageBase);
        if (service.name().equals(DEPLOY_SERVICE)) {
            settings.get(SERVER_JAR_VARIABLE).or(this::builtModelServer)
                    .ifPresent(jar -> env.put(SERVER_JAR_VARIABLE, jar));
        }
        return env;
    }

    private Optional<String> builtModelServer() {
        Path jar = settings.home().resolve(MODEL_SERVER_JAR).toAbsolutePath();
        return Files.isRegularFile(jar) ? Optional.of(jar.toString()) : Optional.empty();
    }

    /**
     * What one service gets on top of {@link #serviceEnvironment}: image-svc the serving base ({@code imageBase}: the
     * user's MLOPS_IMAGE_BASE or the one {@code up} built) and the registry to push to, deploy-svc the Docker Engine API
     * for {@code deploy.target: container} (the user's MLOPS_DEPLOY_CONTAINER_DOCKER_HOST, else the podman service's).
     */
    Map<String, String> imageEnvironment(ServiceModule service, Optional<String> imageBase) {
        Map<String, String> env = new LinkedHashMap<>();
        if (service.name().equals("image-svc")) {
            imageBase.ifPresent(base -> env.put("MLOPS_IMAGE_BASE", base));
            imageRegistry().ifPresent(registry -> env.put("MLOPS_IMAGE_REGISTRY", registry));
        } else if (service.name().equals(DEPLOY_SERVICE)) {
            settings.get(DOCKER_HOST_VARIABLE).or(this::dockerHost).ifPresent(host -> env.put(DOCKER_HOST_VARIABLE, host));
        }
        return env;
    }

    private static ServiceModule service(String name) {
        return ServiceModule.ALL.stream().filter(s -> s.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no component " + name));
    }
}
