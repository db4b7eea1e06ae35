package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.common.text.Text;
import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.List;

/**
 * Downloads an http(s) dataset, following redirects itself (at most {@value #MAX_REDIRECTS}) so that every hop is
 * checked by the {@link DatasetUrlPolicy}. Each hop connects to the addresses the policy checked and to no other:
 * the host name is not looked up again between check and connect (no DNS rebinding), while TLS still sends the host
 * name (SNI) and verifies the certificate against it. 5xx, 429, 408 and connection errors are
 * {@link TransientFailure}s (the stage is tried again); other statuses and refused URLs are {@link StageFailure}s.
 * URLs are shown with any {@code user:password@} hidden ({@link DatasetUrls}).
 */
@ApplicationScoped
public class HttpDatasetDownload {

    static final int MAX_REDIRECTS = 5;

    private final DatasetUrlPolicy policy;
    private final SizeLimit limit;
    private final OkHttpClient http;

    @Inject
    public HttpDatasetDownload(DatasetUrlPolicy policy, IngestConfig config) {
        this(policy, config, null);
    }

    /** @param trusted the certificates https servers must present, or null for the JDK's CAs (tests pass theirs) */
    HttpDatasetDownload(DatasetUrlPolicy policy, IngestConfig config, X509TrustManager trusted) {
        this.policy = policy;
        this.limit = new SizeLimit(config.maxDatasetBytes());
        Duration timeout = config.httpTimeout();
        OkHttpClient.Builder client = new OkHttpClient.Builder()
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .proxy(Proxy.NO_PROXY); // a proxy would do its own lookup of the host
        if (trusted != null) {
            client.sslSocketFactory(tlsTrusting(trusted).getSocketFactory(), trusted);
        }
        this.http = client.build();
    }

    public byte[] fetch(URI url) {
        URI hop = url;
        for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
            String where = hop.equals(url) ? UrlCredentials.hidden(url)
                    : UrlCredentials.hidden(url) + " (redirected to " + UrlCredentials.hidden(hop) + ")";
            List<InetAddress> checked = policy.checkHttp(hop, where);
            try (Response response = pinnedTo(checked).newCall(request(hop, where)).execute()) {
                int status = response.code();
                if (status == 200) {
                    ResponseBody body = response.body();
                    if (body.contentLength() > limit.maxBytes()) {
                        throw limit.tooLarge(where);
                    }
                    try (InputStream in = body.byteStream()) {
                        return limit.read(in, body.contentLength(), where);
                    }
                }
                if (!isRedirect(status)) {
                    throw failure(status, where);
                }
                hop = location(hop, response, where);
            } catch (SSLException e) {
                throw new StageFailure("TLS with the server of dataset URL " + where + " failed: " + e.getMessage());
            } catch (IOException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new StageFailure("interrupted while downloading " + where);
                }
                throw new TransientFailure("could not download dataset " + where + ": " + describe(e), e);
            }
        }
        throw new StageFailure("dataset URL " + UrlCredentials.hidden(url) + " redirected more than " + MAX_REDIRECTS
                + " times");
    }

    /**
     * A client whose only name lookup answers the checked addresses. It makes one request, to the checked host
     * (there is no proxy and it follows no redirects), so the name asked is always that host. Each such client has
     * its own lookup, so OkHttp never reuses a pooled connection that was opened for another check.
     */
    private OkHttpClient pinnedTo(List<InetAddress> checked) {
        return http.newBuilder().dns(hostname -> checked).build();
    }

    private static SSLContext tlsTrusting(X509TrustManager trusted) {
        try {
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, new TrustManager[] {trusted}, null);
            return tls;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS context", e);
        }
    }

    private static Request request(URI hop, String where) {
        HttpUrl target = HttpUrl.get(hop);
        if (target == null) {
            throw new StageFailure("dataset URL " + where + " cannot be requested: it is not a valid http(s) URL");
        }
        return new Request.Builder().url(target).get().build();
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static RuntimeException failure(int status, String where) {
        String message = "dataset URL " + where + " answered HTTP " + status;
        if (status >= 500 || status == 429 || status == 408) {
            return new TransientFailure(message);
        }
        return new StageFailure(message);
    }

    private static URI location(URI hop, Response response, String where) {
        String location = response.header("Location");
        if (location == null) {
            throw new StageFailure("dataset URL " + where + " answered HTTP " + response.code() + " without a Location");
        }
        try {
            return hop.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StageFailure("dataset URL " + where + " redirected to an invalid URI "
                    + Text.quote("'" + UrlCredentials.hidden(location) + "'"));
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
