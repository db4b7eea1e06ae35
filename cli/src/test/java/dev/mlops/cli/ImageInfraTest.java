package dev.mlops.cli;

import dev.mlops.stack.launch.DockerRegistry;
import dev.mlops.stack.launch.PodmanService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops up} with Debian's docker-registry and podman installed: both start for real as processes that
 * outlive the CLI, recorded like Kafka; image-svc and deploy-svc (stand-ins that show their environment) are told
 * where they are. This home has no model-server, so the serving base cannot be built: {@code up} still starts
 * everything and says what to do. What is pushed to the registry survives {@code down}; {@code down --purge} deletes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ImageInfraTest {

    private static final byte[] BLOB = "a layer kept between restarts".getBytes(StandardCharsets.UTF_8);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Path home;
    private static Map<String, String> env;

    private final CliOutput cli = new CliOutput();

    @BeforeAll
    static void homeWithStandInImageAndDeployServices() throws IOException {
        // fails, never skips: a machine without them would otherwise pass without testing anything
        assertThat(DockerRegistry.isInstalled()).as("docker-registry: " + DockerRegistry.INSTALL_HINT).isTrue();
        assertThat(PodmanService.isInstalled()).as("podman: " + PodmanService.INSTALL_HINT).isTrue();
        home = Files.createTempDirectory(Path.of("target"), "images-").toAbsolutePath();
        StandInService.writeJar(home.resolve("image-svc/target/quarkus-app/quarkus-run.jar"));
        StandInService.writeJar(home.resolve("deploy-svc/target/quarkus-app/quarkus-run.jar"));
        env = new HashMap<>(ScratchStack.environment(home, home.resolve("state"), Map.of(), "images"));
        env.put("MLOPS_CACHE_DIR", home.resolve("cache").toString());
    }

    @AfterAll
    static void stopWhateverIsLeft() {
        if (home != null && new Mlops(home, env, new PrintStream(PrintStream.nullOutputStream()), System.err, false)
                .execute("down") == 0) {
            Folders.deleteRecursively(home);
        }
    }

    @Test
    @Order(1)
    void upStartsTheRegistryAndPodmanAndTellsImageAndDeploySvcWhereTheyAre() throws Exception {
        int code = cli.mlops(home, env).execute("up");

        assertThat(code).as(cli.err()).isZero();
        String registry = "127.0.0.1:" + env.get("MLOPS_REGISTRY_PORT");
        Path socket = home.resolve("state/podman/podman.sock");
        assertThat(cli.out()).contains("registry ready at " + registry, "podman ready at unix://" + socket);
        assertThat(HTTP.send(HttpRequest.newBuilder(URI.create("http://" + registry + "/v2/")).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200);
        assertThat(PodmanService.answers(socket)).as("the Docker Engine API on " + socket).isTrue();

        assertThat(environmentOf("MLOPS_IMAGE_PORT")).contains("MLOPS_IMAGE_REGISTRY=" + registry)
                .doesNotContain("MLOPS_IMAGE_BASE=");
        assertThat(environmentOf("MLOPS_DEPLOY_PORT"))
                .contains("MLOPS_DEPLOY_CONTAINER_DOCKER_HOST=unix://" + socket);
        // no model-server in this home: the base cannot be built, up says why and what to do, image-svc runs anyway
        assertThat(cli.out()).contains("could not build the serving base image: model-server is not built",
                "./mlops images", "MLOPS_IMAGE_BASE", "image-svc ready at");

        cli.mlops(home, env).execute("status");
        assertThat(row("registry")).contains("running", pid("registry"), registry, "accepting connections");
        assertThat(row("podman")).contains("running", pid("podman"), "Docker Engine API answers");
    }

    @Test
    @Order(2)
    void whatTheRegistryHoldsSurvivesDownAndAUserChosenBaseReachesImageSvc() throws Exception {
        String digest = pushBlob();
        long registryPid = Long.parseLong(pid("registry"));
        long podmanPid = Long.parseLong(pid("podman"));

        assertThat(cli.mlops(home, env).execute("down")).as(cli.err()).isZero();

        assertThat(ProcessHandle.of(registryPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(ProcessHandle.of(podmanPid).filter(ProcessHandle::isAlive)).isEmpty();
        assertThat(cli.out()).contains("stopped registry", "stopped podman");

        Map<String, String> withBase = new HashMap<>(env);
        withBase.put("MLOPS_IMAGE_BASE", "tar:/opt/images/model-server.tar");
        assertThat(cli.mlops(home, withBase).execute("up")).as(cli.err()).isZero();

        assertThat(blobStatus(digest)).as("the blob pushed before down").isEqualTo(200);
        assertThat(cli.out()).contains("serving base image: tar:/opt/images/model-server.tar (MLOPS_IMAGE_BASE)")
                .doesNotContain("could not build the serving base image");
        assertThat(environmentOf("MLOPS_IMAGE_PORT")).contains("MLOPS_IMAGE_BASE=tar:/opt/images/model-server.tar");
    }

    @Test
    @Order(3)
    void downPurgeDeletesTheRegistrysImages() {
        assertThat(cli.mlops(home, env).execute("down", "--purge")).as(cli.err()).isZero();

        assertThat(home.resolve("state/data/registry")).doesNotExist();
        assertThat(cli.out()).contains("deleted " + home.resolve("state/data/registry"));
        assertThat(home.resolve("state/pids")).isEmptyDirectory();
    }

    /** A monolithic blob upload through the registry API: POST for an upload URL, PUT the bytes with their digest. */
    private static String pushBlob() throws Exception {
        String digest = "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(BLOB));
        String base = "http://127.0.0.1:" + env.get("MLOPS_REGISTRY_PORT");
        HttpResponse<Void> start = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/v2/probe/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        assertThat(start.statusCode()).isEqualTo(202);
        String location = start.headers().firstValue("Location").orElseThrow();
        URI upload = URI.create(base).resolve(location + (location.contains("?") ? "&" : "?") + "digest=" + digest);
        HttpResponse<Void> put = HTTP.send(HttpRequest.newBuilder(upload).PUT(HttpRequest.BodyPublishers.ofByteArray(BLOB))
                .header("Content-Type", "application/octet-stream").build(), HttpResponse.BodyHandlers.discarding());
        assertThat(put.statusCode()).isEqualTo(201);
        assertThat(blobStatus(digest)).isEqualTo(200);
        return digest;
    }

    private static int blobStatus(String digest) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get("MLOPS_REGISTRY_PORT")
                        + "/v2/probe/blobs/" + digest)).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String environmentOf(String portVariable) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + env.get(portVariable) + "/env")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static String pid(String name) {
        return String.valueOf(PidRecord.read(home.resolve("state/pids"), name).orElseThrow().pid());
    }

    private String row(String component) {
        return cli.out().lines().filter(l -> l.trim().startsWith(component + " ")).findFirst().orElse("(no row)");
    }
}
