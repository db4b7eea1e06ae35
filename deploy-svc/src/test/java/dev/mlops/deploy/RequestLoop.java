package dev.mlops.deploy;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client that keeps POSTing one body to the serving URL (one request at a time, at most 20,000 or 150 s) and
 * records every answer that is not a 200: what a user calling the model notices during a swap.
 */
final class RequestLoop implements AutoCloseable {

    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger sent = new AtomicInteger();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread client;

    RequestLoop(String url, String body) {
        client = new Thread(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
            while (!stop.get() && System.nanoTime() < deadline && sent.get() < 20_000) {
                sent.incrementAndGet();
                try {
                    HttpResponse<String> answer = TestRuns.post(url, body);
                    if (answer.statusCode() != 200) {
                        failures.add(answer.statusCode() + " " + answer.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "request-loop");
        client.start();
    }

    int sent() {
        return sent.get();
    }

    List<String> failures() {
        return failures;
    }

    /** Lets a few more requests reach the new backend, then stops the client and waits for it. */
    @Override
    public void close() throws InterruptedException {
        int before = sent.get();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (sent.get() < before + 20 && client.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        stop.set(true);
        client.join();
    }
}
