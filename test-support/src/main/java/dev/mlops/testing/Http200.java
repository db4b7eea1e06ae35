package dev.mlops.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Whether a server answers yet: the readiness probe the benchmarks give {@code ServerProcess.start}. */
public final class Http200 {

    private Http200() {
    }

    /** True when {@code GET url} answers 200 within 5 s; false when nothing listens or it answers otherwise. */
    public static boolean answers(HttpClient http, URI url) {
        try {
            return http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
