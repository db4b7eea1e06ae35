package dev.mlops.ingest.service;

import dev.mlops.common.text.Text;
import dev.mlops.ingest.config.IngestConfig;
import dev.mlops.runtime.stage.StageFailure;
import dev.mlops.runtime.stage.TransientFailure;
import jakarta.enterprise.context.ApplicationScoped;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Downloads an http(s) dataset, following redirects itself (at most {@value #MAX_REDIRECTS}) so that every hop is
 * checked by the {@link DatasetUrlPolicy}. 5xx, 429, 408 and connection errors are {@link TransientFailure}s (the
 * stage is tried again); other statuses and refused URLs are {@link StageFailure}s.
 */
@ApplicationScoped
public class HttpDatasetDownload {

    static final int MAX_REDIRECTS = 5;

    private final DatasetUrlPolicy policy;
    private final SizeLimit limit;
    private final Duration timeout;
    private final HttpClient http;

    public HttpDatasetDownload(DatasetUrlPolicy policy, IngestConfig config) {
        this.policy = policy;
        this.limit = new SizeLimit(config.maxDatasetBytes());
        this.timeout = config.httpTimeout();
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    public byte[] fetch(URI url) {
        URI hop = url;
        for (int redirects = 0; redirects <= MAX_REDIRECTS; redirects++) {
            String where = hop.equals(url) ? url.toString() : url + " (redirected to " + hop + ")";
            policy.checkHttp(hop, where);
            try {
                HttpRequest request = HttpRequest.newBuilder(hop).timeout(timeout).GET().build();
                HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
                try (InputStream body = response.body()) {
                    int status = response.statusCode();
                    if (status == 200) {
                        if (response.headers().firstValueAsLong("Content-Length").orElse(0) > limit.maxBytes()) {
                            throw limit.tooLarge(where);
                        }
                        return limit.read(body, where);
                    }
                    if (!isRedirect(status)) {
                        throw failure(status, where);
                    }
                    hop = location(hop, response, where);
                }
            } catch (SSLException e) {
                throw new StageFailure("TLS with the server of dataset URL " + where + " failed: " + e.getMessage());
            } catch (IOException e) {
                throw new TransientFailure("could not download dataset " + where + ": " + describe(e), e);
            } catch (IllegalArgumentException e) {
                throw new StageFailure("dataset URL " + where + " cannot be requested: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StageFailure("interrupted while downloading " + where);
            }
        }
        throw new StageFailure("dataset URL " + url + " redirected more than " + MAX_REDIRECTS + " times");
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

    private static URI location(URI hop, HttpResponse<?> response, String where) {
        String location = response.headers().firstValue("Location")
                .orElseThrow(() -> new StageFailure("dataset URL " + where + " answered HTTP " + response.statusCode()
                        + " without a Location"));
        try {
            return hop.resolve(new URI(location));
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new StageFailure("dataset URL " + where + " redirected to an invalid URI "
                    + Text.quote("'" + location + "'"));
        }
    }

    private static String describe(IOException e) {
        String name = e.getClass().getSimpleName();
        return e.getMessage() == null ? name : name + ": " + e.getMessage();
    }
}
