package dev.mlops.ingest.service;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The download against a real local HTTP server: which answers are worth a retry, redirects, the size limit. */
class HttpDatasetDownloadTest {

    static final byte[] CSV = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
    static final long HUGE = 64L * 1024 * 1024;
    static final String REBINDING = "datasets.rebind.test";

    HttpServer server;
    final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    final AtomicReference<String> hugeBodyOutcome = new AtomicReference<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            switch (path) {
                case "/data.csv" -> send(exchange, 200, CSV);
                case "/busy" -> send(exchange, 503, new byte[0]);
                case "/slow-down" -> send(exchange, 429, new byte[0]);
                case "/missing" -> send(exchange, 404, new byte[0]);
                case "/forbidden" -> send(exchange, 403, new byte[0]);
                case "/moved" -> redirect(exchange, "/data.csv");
                case "/loop" -> redirect(exchange, "/loop");
                case "/to-file" -> redirect(exchange, "file:/etc/passwd");
                case "/to-other-loopback" -> redirect(exchange, "http://127.0.0.2:" + port() + "/data.csv");
                case "/to-rebinding" -> redirect(exchange, "http://" + REBINDING + ":" + port() + "/data.csv");
                case "/to-credentials" -> redirect(exchange, "http://user:s3cret-pw@127.0.0.1:" + port() + "/data.csv");
                case "/declared-too-big" -> send(exchange, 200, new byte[200_000]);
                case "/endless" -> streamEndlessly(exchange);
                default -> send(exchange, 500, new byte[0]);
            }
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    @Test
    void serverErrorsAndTooManyRequestsAreTransientAndNameTheStatus() {
        assertThatThrownBy(() -> download("/busy")).isInstanceOf(TransientFailure.class)
                .hasMessageContaining(url("/busy").toString()).hasMessageContaining("HTTP 503");
        assertThatThrownBy(() -> download("/slow-down")).isInstanceOf(TransientFailure.class)
                .hasMessageContaining("HTTP 429");
    }

    @Test
    void clientErrorsArePermanentAndNameTheStatus() {
        assertThatThrownBy(() -> download("/missing")).isInstanceOf(StageFailure.class)
                .hasMessageContaining(url("/missing").toString()).hasMessageContaining("HTTP 404");
        assertThatThrownBy(() -> download("/forbidden")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void connectionRefusedIsTransient() throws IOException {
        int closedPort = Ports.free();
        URI nobodyListens = URI.create("http://127.0.0.1:" + closedPort + "/data.csv");
        assertThatThrownBy(() -> downloader(TestIngestConfig.allowing("127.0.0.1/32")).fetch(nobodyListens))
                .isInstanceOf(TransientFailure.class).hasMessageContaining(nobodyListens.toString())
                .hasMessageContaining("ConnectException");
    }

    @Test
    void followsRedirectsUpToALimit() {
        assertThat(download("/moved")).isEqualTo(CSV);
        assertThatThrownBy(() -> download("/loop")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("redirected more than 5 times");
        assertThat(requests.get("/loop")).hasValue(HttpDatasetDownload.MAX_REDIRECTS + 1);
    }

    @Test
    void everyRedirectHopIsCheckedLikeTheFirst() {
        assertThatThrownBy(() -> download("/to-file")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("file:/etc/passwd is not an http(s) URL");
        assertThatThrownBy(() -> download("/to-other-loopback")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("redirected to http://127.0.0.2:" + port())
                .hasMessageContaining("127.0.0.2 is a loopback address");
    }

    @Test
    void loopbackIsRefusedByDefaultBeforeAnyConnection() {
        HttpDatasetDownload strict = downloader(TestIngestConfig.allowing());
        assertThatThrownBy(() -> strict.fetch(url("/data.csv"))).isInstanceOf(StageFailure.class)
                .hasMessageContaining("127.0.0.1 is a loopback address")
                .hasMessageContaining("mlops.ingest.allow-private-addresses");
        assertThat(requests).isEmpty();
    }

    @ParameterizedTest(name = "{0} is refused")
    @ValueSource(strings = {"http://2130706433:{port}/data.csv", "http://[::ffff:127.0.0.1]:{port}/data.csv",
            "http://127.1:{port}/data.csv", "http://0.0.0.0:{port}/data.csv"})
    void otherSpellingsOfLoopbackAreRefusedToo(String spelling) {
        URI url = URI.create(spelling.replace("{port}", String.valueOf(port())));
        assertThatThrownBy(() -> downloader(TestIngestConfig.allowing()).fetch(url))
                .isInstanceOf(StageFailure.class).hasMessageContaining(url + " ");
        assertThat(requests).isEmpty();
    }

    /**
     * Hostile input: a name that answers 127.0.0.1 (allowed here) to the check and 127.0.0.2 (refused) to any later
     * lookup, where an "internal" server listens on the same port. The data comes from the checked address; the
     * internal server is never asked and the name is looked up once. (The system resolver does not know the name:
     * a client that looked it up itself would fail.)
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"http://" + REBINDING + ":{port}/data.csv", "http://127.0.0.1:{port}/to-rebinding"})
    void aNameThatRebindsAfterTheCheckIsFetchedFromTheCheckedAddress(String spelling) throws IOException {
        AtomicInteger internalRequests = new AtomicInteger();
        HttpServer internal = HttpServer.create(new InetSocketAddress("127.0.0.2", port()), 0);
        internal.createContext("/", exchange -> {
            internalRequests.incrementAndGet();
            send(exchange, 200, "internal,secret\n1,2\n".getBytes(StandardCharsets.UTF_8));
        });
        internal.start();
        try {
            RebindingResolver dns = new RebindingResolver(REBINDING, "127.0.0.1", "127.0.0.2");
            URI url = URI.create(spelling.replace("{port}", String.valueOf(port())));
            assertThat(downloader(TestIngestConfig.allowing("127.0.0.1/32"), dns).fetch(url)).isEqualTo(CSV);
            assertThat(internalRequests).hasValue(0);
            assertThat(dns.lookups()).isEqualTo(1);
            assertThat(requests.get("/data.csv")).hasValue(1);
        } finally {
            internal.stop(0);
        }
    }

    /**
     * Hostile input: a name that answers a public address (example.com's) to the check and 127.0.0.1 to any later
     * lookup. Ingest connects to the public address (unreachable from a test machine or not serving this port: a
     * transient failure) and the loopback server is never asked.
     */
    @Test
    void aNameThatRebindsToLoopbackAfterThePublicCheckNeverReachesLoopback() throws IOException {
        RebindingResolver dns = new RebindingResolver(REBINDING, "93.184.215.14", "127.0.0.1");
        URI url = URI.create("http://" + REBINDING + ":" + port() + "/data.csv");
        HttpDatasetDownload strict = downloader(TestIngestConfig.allowing().withHttpTimeout(Duration.ofSeconds(1)), dns);
        assertThatThrownBy(() -> strict.fetch(url)).isInstanceOf(TransientFailure.class)
                .hasMessageStartingWith("could not download dataset " + url + ": ");
        assertThat(requests).isEmpty();
        assertThat(dns.lookups()).isEqualTo(1);
    }

    /** Hostile input: http://user:s3cret-pw@127.0.0.1/data.csv: refused before any request, password not shown. */
    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        URI url = URI.create("http://user:s3cret-pw@127.0.0.1:" + port() + "/data.csv");
        assertThatThrownBy(() -> downloader(TestIngestConfig.allowing("127.0.0.1/32")).fetch(url))
                .isInstanceOf(StageFailure.class)
                .hasMessageStartingWith("credentials in dataset URLs are not supported: http://***@127.0.0.1:"
                        + port() + "/data.csv")
                .hasMessageNotContaining("s3cret");
        assertThat(requests).isEmpty();
    }

    /** Hostile input: a redirect to http://user:s3cret-pw@127.0.0.1/data.csv: refused, password not shown. */
    @Test
    void aRedirectWithCredentialsIsRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> download("/to-credentials")).isInstanceOf(StageFailure.class)
                .hasMessage("credentials in dataset URLs are not supported: " + url("/to-credentials")
                        + " (redirected to http://***@127.0.0.1:" + port() + "/data.csv) (user:password@ is never"
                        + " used nor stored: serve the dataset without them, or put it in the artifact bucket as an"
                        + " s3:// dataset)")
                .hasMessageNotContaining("s3cret");
        assertThat(requests).containsOnlyKeys("/to-credentials");
    }

    @Test
    void allowPrivateAddressesLetsLoopbackThrough() {
        HttpDatasetDownload open = downloader(new TestIngestConfig(100_000, true, List.of(), List.of()));
        assertThat(open.fetch(url("/data.csv"))).isEqualTo(CSV);
    }

    @Test
    void aDeclaredLengthOverTheLimitIsRefused() {
        assertThatThrownBy(() -> download("/declared-too-big")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("larger than the limit of 100000 bytes");
    }

    @Test
    void aBodyWithoutContentLengthIsReadNoFurtherThanTheLimit() {
        assertThatThrownBy(() -> download("/endless")).isInstanceOf(StageFailure.class)
                .hasMessageContaining("larger than the limit of 100000 bytes");
        // the server could not finish: the client hung up once it had read past the limit
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(hugeBodyOutcome.get()).isNotNull());
        assertThat(hugeBodyOutcome.get()).startsWith("broken after");
    }

    private byte[] download(String path) {
        return downloader(TestIngestConfig.allowing("127.0.0.1/32")).fetch(url(path));
    }

    private static HttpDatasetDownload downloader(TestIngestConfig config) {
        return new HttpDatasetDownload(new DatasetUrlPolicy(config, null, HostResolver.SYSTEM), config);
    }

    private static HttpDatasetDownload downloader(TestIngestConfig config, HostResolver resolver) {
        return new HttpDatasetDownload(new DatasetUrlPolicy(config, null, resolver), config);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + port() + path);
    }

    private int port() {
        return server.getAddress().getPort();
    }

    private void streamEndlessly(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, 0); // chunked: no Content-Length
        byte[] chunk = "1,2\n".repeat(2048).getBytes(StandardCharsets.UTF_8);
        long written = 0;
        try (OutputStream body = exchange.getResponseBody()) {
            while (written < HUGE) {
                body.write(chunk);
                written += chunk.length;
            }
            hugeBodyOutcome.set("completed");
        } catch (IOException e) {
            hugeBodyOutcome.set("broken after " + written + " bytes");
        }
    }

    private static void redirect(HttpExchange exchange, String location) throws IOException {
        exchange.getResponseHeaders().add("Location", location);
        send(exchange, 302, new byte[0]);
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
        exchange.close();
    }
}
