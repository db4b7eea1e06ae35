package dev.mlops.cli;

import dev.mlops.stack.launch.Ports;
import dev.mlops.common.event.Topics;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.S3Settings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./mlops up} and {@code down} for real: Kafka, S3 and PostgreSQL start as processes on free ports with a
 * scratch state folder, are checked with their own clients, stop, and start again on the data they kept.
 * The home folder has no built service, so only the infrastructure starts.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalStackTest {

    private static Path home;
    private static Map<String, String> env;
    private static int kafkaPort;
    private static int s3Port;
    private static int postgresPort;
    private static final byte[] ARTIFACT = "kept between restarts".getBytes(StandardCharsets.UTF_8);

    private final CliOutput cli = new CliOutput();

    @BeforeAll
    static void scratchStateAndFreePorts() throws IOException {
        home = Files.createTempDirectory(Path.of("target"), "cli-home-").toAbsolutePath();
        kafkaPort = Ports.free();
        s3Port = Ports.free();
        postgresPort = Ports.free();
        env = Map.of(
                "MLOPS_STATE_DIR", home.resolve("state").toString(),
                "MLOPS_KAFKA_PORT", String.valueOf(kafkaPort),
                "MLOPS_KAFKA_CONTROLLER_PORT", String.valueOf(Ports.free()),
                "MLOPS_S3_PORT", String.valueOf(s3Port),
                "MLOPS_PG_PORT", String.valueOf(postgresPort),
                "MLOPS_REGISTRY_PORT", String.valueOf(Ports.free()));
    }

    @AfterAll
    static void stopWhateverIsLeft() {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        if (new Mlops(home, env, quiet, System.err, false).execute("down") == 0) {
            Folders.deleteRecursively(home);
        }
    }

    @Test
    @Order(1)
    void aPortTakenByAnotherProgramStopsUpBeforeAnythingStarts() throws IOException {
        Path otherState = home.resolve("other-state");
        try (ServerSocket squatter = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> clashing = new java.util.HashMap<>(env);
            clashing.put("MLOPS_STATE_DIR", otherState.toString());
            clashing.put("MLOPS_S3_PORT", String.valueOf(squatter.getLocalPort()));

            int code = cli.mlops(home, clashing).execute("up");

            assertThat(code).isEqualTo(1);
            assertThat(cli.err()).contains("port " + squatter.getLocalPort()
                    + " for s3 (MLOPS_S3_PORT) is in use by another program").contains("nothing was started");
            try (var pidFiles = Files.list(otherState.resolve("pids"))) {
                assertThat(pidFiles).isEmpty();
            }
        }
    }

    @Test
    @Order(2)
    void upStartsKafkaS3AndPostgresWithGeneratedCredentials() throws Exception {
        int code = cli.mlops(home, env).execute("up");

        assertThat(code).as(cli.err()).isZero();
        Properties credentials = credentials();
        assertThat(cli.out()).contains("kafka", "127.0.0.1:" + kafkaPort, "http://127.0.0.1:" + s3Port,
                        "jdbc:postgresql://127.0.0.1:" + postgresPort + "/mlops", home.resolve("state").toString(),
                        "datasets:     " + home.resolve("data") + ", " + home.resolve("state/datasets"))
                .doesNotContain(credentials.getProperty("s3.secret-key"))
                .doesNotContain(credentials.getProperty("db.password"));

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            Set<String> topics = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            assertThat(topics).containsAll(Topics.all());
        }

        try (ArtifactStore store = artifactStore(credentials)) {
            URI uri = store.put("cli-test", "probe/kept.txt", ARTIFACT, "text/plain");
            assertThat(uri.toString()).isEqualTo("s3://mlops-artifacts/runs/cli-test/probe/kept.txt");
            assertThat(store.read(uri)).isEqualTo(ARTIFACT);
        }
        assertThat(ownerOnly(home.resolve("state/data/s3"))).isTrue();
        assertThat(ownerOnly(home.resolve("state/data/s3/mlops-artifacts"))).isTrue();
        assertThat(ownerOnly(home.resolve("state/datasets"))).as("the datasets folder").isTrue();

        try (Connection db = postgres(credentials.getProperty("db.password")); Statement s = db.createStatement()) {
            s.execute("CREATE TABLE survivor (note text)");
            s.execute("INSERT INTO survivor VALUES ('written before the first down')");
        }
        // the generated password is enforced: a wrong one is refused, for the superuser too
        assertThatThrownBy(() -> postgres("not-the-password").close()).isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort
                + "/postgres", "postgres", "").close()).isInstanceOf(SQLException.class);
    }

    @Test
    @Order(3)
    void theS3ServerRefusesUnsignedRequests() throws Exception {
        // issue 17: an unsigned GET of the bucket listed every key; of an object, it would read it
        HttpClient http = HttpClient.newHttpClient();
        for (String path : List.of("/mlops-artifacts", "/mlops-artifacts/?list-type=2",
                "/mlops-artifacts/runs/cli-test/probe/kept.txt", "/")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + s3Port + path)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("unsigned GET " + path).isEqualTo(403);
            assertThat(response.body()).as("unsigned GET " + path).contains("AccessDenied")
                    .doesNotContain("probe/kept.txt").doesNotContain("kept between restarts");
        }
        try (ArtifactStore store = artifactStore(credentials())) {
            assertThat(store.read(URI.create("s3://mlops-artifacts/runs/cli-test/probe/kept.txt"))).isEqualTo(ARTIFACT);
        }
    }

    @Test
    @Order(4)
    void upAgainStartsNothingTwice() {
        Map<String, Long> before = runningPids();

        int code = cli.mlops(home, env).execute("up");

        assertThat(code).as(cli.err()).isZero();
        assertThat(runningPids()).isEqualTo(before);
        assertThat(cli.out()).contains("kafka is already running (pid " + before.get("kafka"));
    }

    @Test
    @Order(5)
    void downStopsEveryProcessAndKeepsTheData() {
        Map<String, Long> pids = runningPids();
        assertThat(pids).containsOnlyKeys("kafka", "s3", "postgres");
        long postmaster = PostgresData.postmaster(home.resolve("state/data/postgres")).orElseThrow().pid();

        int code = cli.mlops(home, env).execute("down");

        assertThat(code).as(cli.err()).isZero();
        for (long pid : pids.values()) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid " + pid).isEmpty();
        }
        assertThat(ProcessHandle.of(postmaster).filter(ProcessHandle::isAlive)).as("the PostgreSQL server").isEmpty();
        assertThat(home.resolve("state/pids")).isEmptyDirectory();
        assertThat(home.resolve("state/data/kafka")).isNotEmptyDirectory();
        assertThat(home.resolve("state/data/postgres")).isNotEmptyDirectory();
        assertThat(home.resolve("state/data/s3/mlops-artifacts")).isNotEmptyDirectory();
        assertThat(List.of(kafkaPort, s3Port, postgresPort)).allMatch(Network::isFree);
        assertThat(cli.out()).contains("stopped kafka", "stopped s3", "stopped postgres", "data kept in");
    }

    @Test
    @Order(6)
    void upAfterDownFindsTheDataOfTheFirstTime() throws Exception {
        int code = cli.mlops(home, env).execute("up");

        assertThat(code).as(cli.err()).isZero();
        Properties credentials = credentials();
        try (Connection db = postgres(credentials.getProperty("db.password")); Statement s = db.createStatement();
             ResultSet rows = s.executeQuery("SELECT note FROM survivor")) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getString(1)).isEqualTo("written before the first down");
        }
        try (ArtifactStore store = artifactStore(credentials)) {
            assertThat(store.read(URI.create("s3://mlops-artifacts/runs/cli-test/probe/kept.txt"))).isEqualTo(ARTIFACT);
        }
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort))) {
            assertThat(admin.listTopics().names().get(30, TimeUnit.SECONDS)).containsAll(Topics.all());
        }
    }

    @Test
    @Order(7)
    void statusShowsEachComponentRunningWithItsPid() {
        Map<String, Long> pids = runningPids();

        int code = cli.mlops(home, env).execute("status");

        assertThat(code).isZero();
        assertThat(cli.out().lines().filter(l -> l.trim().startsWith("kafka "))).singleElement().asString()
                .contains("running", String.valueOf(pids.get("kafka")), "accepting connections");
        assertThat(cli.out().lines().filter(l -> l.trim().startsWith("tracking-svc "))).singleElement().asString()
                .contains("not built");
    }

    @Test
    @Order(8)
    void downPurgeAlsoDeletesTheDataAndSaysWhat() {
        int code = cli.mlops(home, env).execute("down", "--purge");

        assertThat(code).as(cli.err()).isZero();
        assertThat(home.resolve("state/data/kafka")).doesNotExist();
        assertThat(home.resolve("state/data/postgres")).doesNotExist();
        assertThat(home.resolve("state/data/s3")).doesNotExist();
        assertThat(cli.out()).contains("deleted " + home.resolve("state/data/postgres"));
    }


    private static Map<String, Long> runningPids() {
        Map<String, Long> pids = new java.util.TreeMap<>();
        for (String name : LocalStack.INFRA) {
            PidRecord.read(home.resolve("state/pids"), name).filter(r -> r.liveProcess().isPresent())
                    .ifPresent(r -> pids.put(name, r.pid()));
        }
        return pids;
    }

    private static Properties credentials() throws IOException {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(home.resolve("state/credentials.properties"))) {
            p.load(in);
        }
        return p;
    }

    private static ArtifactStore artifactStore(Properties credentials) {
        return new ArtifactStore(new S3Settings("http://127.0.0.1:" + s3Port, credentials.getProperty("s3.access-key"),
                credentials.getProperty("s3.secret-key"), S3Settings.DEFAULT_BUCKET, "us-east-1"));
    }

    private static boolean ownerOnly(Path dir) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)).equals("rwx------");
    }

    private static Connection postgres(String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/mlops", "mlops", password);
    }
}
