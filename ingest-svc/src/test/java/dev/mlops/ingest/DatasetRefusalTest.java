package dev.mlops.ingest;

import com.sun.net.httpserver.HttpServer;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Dataset URIs ingest must not read, with the default policy (no private addresses, file: only under the test's
 * roots, s3 only from allowed buckets): each run fails at ingest saying why, and nothing is stored for it.
 * The http ones point at a real server that would serve the Titanic data, so a missing check would show.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class DatasetRefusalTest {

    static HttpServer web;
    static final AtomicInteger served = new AtomicInteger();

    @Inject
    IngestRuns runs;

    @BeforeAll
    static void startWebServerAndFiles() throws IOException {
        web = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        web.createContext("/titanic.csv", exchange -> {
            served.incrementAndGet();
            byte[] body = TestDatasets.titanic();
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        web.start();
        Path outside = TestDatasets.outsideTheRoots();
        Path link = TestDatasets.ROOT.resolve("link-to-outside.csv");
        Files.deleteIfExists(link);
        Files.createSymbolicLink(link, outside);
    }

    @AfterAll
    static void stopWebServer() {
        web.stop(0);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "ftp://example.com/titanic.csv                | dataset.uri must be an http(s)://, file: or s3:// URI",
            "gopher://example.com/titanic.csv             | dataset.uri must be an http(s)://, file: or s3:// URI",
            "jar:file:/tmp/datasets.jar!/titanic.csv      | dataset.uri must be an http(s)://, file: or s3:// URI",
            "http://127.0.0.1:{port}/titanic.csv          | 127.0.0.1 is a loopback address",
            "http://localhost:{port}/titanic.csv          | localhost resolves to a loopback address 127.0.0.1",
            "http://[::1]:{port}/titanic.csv              | [::1] is a loopback address",
            "http://169.254.169.254/latest/meta-data      | 169.254.169.254 is the cloud metadata (link-local) address",
            "http://10.0.0.1/titanic.csv                  | 10.0.0.1 is a private address",
            "http://0.0.0.0:{port}/titanic.csv            | 0.0.0.0 is an unspecified address",
            "file:/etc/passwd                             | /etc/passwd is outside the allowed file roots",
            "file:{root}/../outside.csv                   | {root}/../outside.csv refused: {outside} is outside",
            "file:{root}/link-to-outside.csv              | (a link to {outside}) is outside the allowed file roots",
            "s3://other-bucket/titanic.csv                | bucket 'other-bucket' is not one ingest reads from",
            "s3://mlops-artifacts/datasets/../titanic.csv | its key must not contain empty, '.' or '..' segments",
    })
    void refusedDatasetFailsTheRunAtIngestAndStoresNothing(String uri, String expectedError) {
        IngestRuns.Failure failure = runs.failed(fill(uri));

        assertThat(failure.error()).contains(fill(expectedError));
        assertThat(runs.storedObjects(failure.runId())).as("objects stored for " + uri).isEmpty();
        assertThat(served).as("requests that reached the local web server").hasValue(0);
    }

    @Test
    void refusalsSayWhichSettingWouldAllowThem() {
        assertThat(runs.failed(fill("http://127.0.0.1:{port}/titanic.csv")).error())
                .contains("mlops.ingest.allow-private-addresses=true (MLOPS_INGEST_ALLOW_PRIVATE_ADDRESSES)");
        assertThat(runs.failed("file:/etc/passwd").error())
                .contains("mlops.ingest.file-roots (env MLOPS_INGEST_FILE_ROOTS, comma-separated)");
    }

    private static String fill(String template) {
        return template.replace("{port}", String.valueOf(web.getAddress().getPort()))
                .replace("{root}", TestDatasets.ROOT.toString())
                .replace("{outside}", TestDatasets.OUTSIDE.toString());
    }
}
