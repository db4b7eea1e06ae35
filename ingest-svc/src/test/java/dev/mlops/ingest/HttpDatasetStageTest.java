package dev.mlops.ingest;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.common.event.StageEvent;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Datasets over HTTP from a real local server (allowed by {@link LocalDatasetServerProfile}): redirects, what is
 * retried and what fails at once, a redirect to a refused address, the size limit without Content-Length.
 */
@QuarkusTest
@TestProfile(LocalDatasetServerProfile.class)
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class HttpDatasetStageTest {

    static HttpServer web;
    static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    static final AtomicReference<String> endlessOutcome = new AtomicReference<>();

    @Inject
    IngestRuns runs;

    @BeforeAll
    static void startWebServer() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/", HttpDatasetStageTest::serve);
        web.start();
    }

    @AfterAll
    static void stopWebServer() {
        web.stop(0);
    }

    @Test
    void ingestsOverHttpFollowingARedirect() {
        StageEvent completed = runs.completed(url("/old/titanic.csv"));
        assertThat(runs.store().read(URI.create(completed.artifact("raw/data.csv")))).isEqualTo(TestDatasets.titanic());
        assertThat(completed.params()).containsEntry("dataset_uri", url("/old/titanic.csv"));
    }

    @Test
    void notFoundFailsAtOnceAfterOneRequest() {
        IngestRuns.Failure failure = runs.failed(url("/missing.csv"));
        assertThat(failure.error()).isEqualTo("dataset URL " + url("/missing.csv") + " answered HTTP 404");
        assertThat(count("/missing.csv")).isEqualTo(1);
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
    }

    @Test
    void serviceUnavailableIsRetriedUntilTheDatasetIsServed() {
        StageEvent completed = runs.completed(url("/flaky.csv"));
        assertThat(count("/flaky.csv")).as("two 503 answers, then the data").isEqualTo(3);
        assertThat(runs.store().read(URI.create(completed.artifact("raw/data.csv")))).isEqualTo(TestDatasets.titanic());
    }

    @Test
    void aRedirectToAnotherLoopbackAddressIsRefused() {
        String target = "http://127.0.0.2:" + web.getAddress().getPort() + "/titanic.csv";
        IngestRuns.Failure failure = runs.failed(url("/to-loopback"));
        assertThat(failure.error()).startsWith("dataset URL " + url("/to-loopback") + " (redirected to " + target
                + ") refused: 127.0.0.2 is a loopback address");
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
    }

    /**
     * Hostile input: http://user:s3cret-password@127.0.0.1/secret.csv (a password in the dataset URL). The run fails
     * at once naming the URL with ***@ instead, no request is made, and neither the FAILED error nor any line the
     * service logs meanwhile shows the password; a normal run afterwards works.
     */
    @Test
    void credentialsInTheUrlAreRefusedAndNeverShown() {
        String withPassword = "http://user:s3cret-password@127.0.0.1:" + web.getAddress().getPort() + "/secret.csv";
        try (CapturedLog log = CapturedLog.start()) {
            IngestRuns.Failure failure = runs.failed(withPassword);
            assertThat(failure.error()).contains("credentials in dataset URLs are not supported: http://***@127.0.0.1:"
                    + web.getAddress().getPort() + "/secret.csv").doesNotContain("s3cret");
            assertThat(log.lines()).as("the service logged the failure").anyMatch(line -> line.contains(failure.runId()));
            assertThat(log.lines()).noneMatch(line -> line.contains("s3cret"));
            assertThat(count("/secret.csv")).isZero();
            assertThat(runs.storedObjects(failure.runId())).isEmpty();
        }
        assertThat(runs.completed(url("/titanic.csv")).params()).containsEntry("dataset_uri", url("/titanic.csv"));
    }

    @Test
    void aBodyWithoutContentLengthIsCutOffAtTheLimit() {
        IngestRuns.Failure failure = runs.failed(url("/endless.csv"));
        assertThat(failure.error()).isEqualTo("dataset " + url("/endless.csv") + " is larger than the limit of "
                + LocalDatasetServerProfile.MAX_DATASET_BYTES + " bytes (mlops.ingest.max-dataset-bytes)");
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(endlessOutcome.get())
                .as("the server could not send its 64 MB: ingest hung up").startsWith("broken after"));
    }

    private static void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        int seen = requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        switch (path) {
            case "/titanic.csv" -> send(exchange, 200, TestDatasets.titanic());
            case "/old/titanic.csv" -> redirect(exchange, 301, "/titanic.csv");
            case "/to-loopback" -> redirect(exchange, 302, "http://127.0.0.2:" + web.getAddress().getPort()
                    + "/titanic.csv");
            case "/flaky.csv" -> {
                if (seen <= 2) {
                    send(exchange, 503, new byte[0]);
                } else {
                    send(exchange, 200, TestDatasets.titanic());
                }
            }
            case "/endless.csv" -> streamEndlessly(exchange);
            default -> send(exchange, 404, new byte[0]);
        }
    }

    private static void streamEndlessly(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
        byte[] header = "Survived,Pclass,Sex,Age\n".getBytes(StandardCharsets.UTF_8);
        byte[] rows = "1,3,male,22\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        long written = 0;
        try (OutputStream body = exchange.getResponseBody()) {
            body.write(header);
            while (written < 64L * 1024 * 1024) {
                body.write(rows);
                written += rows.length;
            }
            endlessOutcome.set("completed");
        } catch (IOException e) {
            endlessOutcome.set("broken after " + written + " bytes");
        }
    }

    private static void redirect(HttpExchange exchange, int status, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, status, new byte[0]);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }

    private static int count(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    private static String url(String path) {
        return "http://127.0.0.1:" + web.getAddress().getPort() + path;
    }
}
