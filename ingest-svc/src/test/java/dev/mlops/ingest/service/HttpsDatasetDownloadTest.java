package dev.mlops.ingest.service;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * https with the connection pinned to the checked address: TLS still names the host (SNI) and the certificate is
 * verified for the host name, not for the address connected to. A real HTTPS server on 127.0.0.1 with a
 * certificate for {@value #NAME} only, made by keytool for the test.
 */
class HttpsDatasetDownloadTest {

    static final String NAME = "datasets.rebind.test";
    static final char[] PASSWORD = "test-only".toCharArray();

    @TempDir
    Path dir;

    HttpsServer server;
    X509TrustManager trustingTheTestCertificate;
    final AtomicInteger requests = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        Path keystore = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=" + NAME, "-ext", "SAN=dns:" + NAME, "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", new String(PASSWORD))
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(Files.readString(dir.resolve("keytool.log"))).isZero();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(keys);
        trustingTheTestCertificate = (X509TrustManager) trust.getTrustManagers()[0];

        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(200, HttpDatasetDownloadTest.CSV.length);
            exchange.getResponseBody().write(HttpDatasetDownloadTest.CSV);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /** Hostile input: the name answers 127.0.0.1 to the check and 127.0.0.2 later; the certificate is for the name. */
    @Test
    void aPinnedConnectionIsVerifiedForTheHostName() throws Exception {
        RebindingResolver dns = new RebindingResolver(NAME, "127.0.0.1", "127.0.0.2");
        URI url = URI.create("https://" + NAME + ":" + server.getAddress().getPort() + "/data.csv");
        assertThat(downloader(dns).fetch(url)).isEqualTo(HttpDatasetDownloadTest.CSV);
        assertThat(dns.lookups()).isEqualTo(1);
        assertThat(requests).hasValue(1);
    }

    /** Hostile input: another name pointing at the same server: its certificate does not name it, so TLS fails. */
    @Test
    void aCertificateForAnotherNameIsRefused() throws Exception {
        RebindingResolver dns = new RebindingResolver("other.rebind.test", "127.0.0.1", "127.0.0.1");
        URI url = URI.create("https://other.rebind.test:" + server.getAddress().getPort() + "/data.csv");
        assertThatThrownBy(() -> downloader(dns).fetch(url)).isInstanceOf(StageFailure.class)
                .hasMessageStartingWith("TLS with the server of dataset URL " + url + " failed: ")
                .hasMessageContaining("other.rebind.test");
        assertThat(requests).hasValue(0);
    }

    private HttpDatasetDownload downloader(HostResolver resolver) {
        TestIngestConfig config = TestIngestConfig.allowing("127.0.0.1/32");
        return new HttpDatasetDownload(new DatasetUrlPolicy(config, null, resolver), config,
                trustingTheTestCertificate);
    }
}
