package dev.mlops.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** Closed-loop HTTP load from a few threads of this JVM, for the tracking API (wrk cannot vary JSON per request). */
final class HttpLoad {

    record Result(long requests, long errors, double seconds, String firstError) {

        double perSecond() {
            return requests / seconds;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** {@code threads} clients, each sending {@code request.apply(sequence)} as soon as the last one answered. */
    Result closedLoop(int threads, Duration duration, IntFunction<HttpRequest> request) throws InterruptedException {
        AtomicLong sequence = new AtomicLong();
        AtomicLong requests = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        String[] firstError = {null};
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread worker = new Thread(() -> {
                while (System.nanoTime() < end) {
                    try {
                        HttpResponse<String> response = http.send(request.apply((int) sequence.getAndIncrement()),
                                HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() / 100 == 2) {
                            requests.incrementAndGet();
                        } else {
                            noteError(errors, firstError, response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        noteError(errors, firstError, e.toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            });
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return new Result(requests.get(), errors.get(), (System.nanoTime() - start) / 1e9, firstError[0]);
    }

    /** Latencies in ms of {@code count} requests sent one after the other. */
    List<Double> latencies(int count, IntFunction<HttpRequest> request) throws IOException, InterruptedException {
        List<Double> ms = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long t0 = System.nanoTime();
            HttpResponse<String> response = http.send(request.apply(i), HttpResponse.BodyHandlers.ofString());
            double elapsed = (System.nanoTime() - t0) / 1e6;
            if (response.statusCode() != 200) {
                throw new IllegalStateException(response.statusCode() + " " + response.body());
            }
            ms.add(elapsed);
        }
        return ms;
    }

    private static synchronized void noteError(AtomicLong errors, String[] first, String error) {
        errors.incrementAndGet();
        if (first[0] == null) {
            first[0] = error;
        }
    }
}
