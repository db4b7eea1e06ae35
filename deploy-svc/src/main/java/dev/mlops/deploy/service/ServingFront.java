package dev.mlops.deploy.service;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The stable address of local deployments: a small reverse proxy that streams every request to the current
 * model-server and its answer back, never holding a whole body; a body over {@code mlops.serving.max-request-size}
 * is refused with a 413 as soon as it passes the limit ({@link ForwardedExchange}). Switching is atomic; each backend
 * counts the requests it is still answering, so the previous one is stopped only once it has none (no request fails
 * during a swap).
 */
public class ServingFront implements AutoCloseable {

    static final String NO_MODEL = "{\"error_code\": \"MODEL_NOT_DEPLOYED\", \"message\": \"no model is deployed yet\"}";
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect");

    /** A model-server the front forwards to. */
    public static final class Backend {
        private final int port;
        private final AtomicInteger inFlight = new AtomicInteger();

        Backend(int port) {
            this.port = port;
        }

        public int port() {
            return port;
        }

        public int inFlight() {
            return inFlight.get();
        }

        void release() {
            inFlight.decrementAndGet();
        }
    }

    private final Vertx vertx;
    private final String host;
    private final int port;
    private final long maxRequestBytes;
    private final AtomicReference<Backend> current = new AtomicReference<>();
    private HttpClient client;
    private HttpServer server;

    /** {@code maxRequestBytes}: mlops.serving.max-request-size, the limit the model-servers behind it apply too. */
    public ServingFront(Vertx vertx, String host, int port, long maxRequestBytes) {
        this.vertx = vertx;
        this.host = host;
        this.port = port;
        this.maxRequestBytes = maxRequestBytes;
    }

    public String url() {
        return "http://" + host + ":" + port;
    }

    /** Starts listening (once); fails saying which port when it is taken. */
    public synchronized void start() {
        if (server != null) {
            return;
        }
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setMaxPoolSize(32));
        HttpServer candidate = vertx.createHttpServer().requestHandler(this::forward);
        try {
            candidate.listen(port, host).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the serving front could not listen on " + host + ":" + port
                    + " (mlops.deploy.local.port): " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the serving front", e);
        }
        server = candidate;
    }

    /** Sends every new request to the model-server on {@code backendPort}; answers the backend it replaces. */
    public Backend switchTo(int backendPort) {
        return current.getAndSet(new Backend(backendPort));
    }

    public Backend current() {
        return current.get();
    }

    /** Waits until {@code backend} answers no request any more; false if it still does after {@code timeout}. */
    public boolean awaitIdle(Backend backend, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (backend.inFlight() > 0) {
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    private void forward(HttpServerRequest request) {
        ForwardedExchange exchange = new ForwardedExchange(vertx, request, maxRequestBytes);
        if (exchange.refusedByItsLength()) {
            return;
        }
        Backend backend = acquire();
        if (backend == null) {
            exchange.answer(503, NO_MODEL);
            return;
        }
        exchange.forwardTo(client, backend);
    }

    /** The current backend with its in-flight count raised; re-read if a switch happened meanwhile. */
    private Backend acquire() {
        while (true) {
            Backend backend = current.get();
            if (backend == null) {
                return null;
            }
            backend.inFlight.incrementAndGet();
            if (current.get() == backend) {
                return backend;
            }
            backend.inFlight.decrementAndGet();
        }
    }

    static MultiMap endToEnd(MultiMap headers) {
        MultiMap copy = MultiMap.caseInsensitiveMultiMap();
        headers.forEach(h -> {
            if (!HOP_BY_HOP.contains(h.getKey().toLowerCase(Locale.ROOT))) {
                copy.add(h.getKey(), h.getValue());
            }
        });
        return copy;
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            await(server.close());
            await(client.close());
            server = null;
        }
    }

    private static void await(Future<Void> future) {
        try {
            future.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing on shutdown: nothing left to do about it
        }
    }
}
