package dev.mlops.cli;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Loopback checks: is a port free, does something listen on it, what does a service's readiness check answer. */
final class Network {

    static final String HOST = "127.0.0.1";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Network() {
    }

    /** True when this process could listen on the port, i.e. nothing else does. */
    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // SO_REUSEADDR: a socket of a just-stopped server in TIME_WAIT does not count as taken
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(HOST, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(HOST, port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The HTTP status of {@code GET /q/health/ready}, or 0 when nothing answers. */
    static int readiness(int port) {
        return status(port, "/q/health/ready");
    }

    /**
     * What {@code GET /q/health} answers: 503 when any liveness or readiness check is DOWN (a consumer channel that
     * ended reports on liveness; a lost broker connection on readiness); 0 when nothing answers.
     */
    static int health(int port) {
        return status(port, "/q/health");
    }

    private static int status(int port, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                .timeout(Duration.ofSeconds(3)).GET().build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
