package dev.mlops.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Stands in for a Quarkus service in the launch test (a real process started from a {@code quarkus-run.jar}):
 * listens on {@code QUARKUS_HTTP_PORT}, answers {@code /q/health/ready}, and shows the MLOPS_, QUARKUS_ and KAFKA_
 * variables it was started with at {@code /env}. {@code STANDIN_MODE=exit} fails at start, {@code unready} never
 * gets ready.
 */
public final class StandInService {

    public static void main(String[] args) throws IOException {
        String mode = System.getenv().getOrDefault("STANDIN_MODE", "ready");
        if (mode.equals("exit")) {
            System.out.println("ERROR boom: config property mlops.s3.secret-key is required");
            System.exit(3);
        }
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv("QUARKUS_HTTP_HOST"), port), 0);
        server.createContext("/q/health/ready", exchange -> {
            exchange.sendResponseHeaders(mode.equals("ready") ? 200 : 503, -1);
            exchange.close();
        });
        server.createContext("/env", exchange -> {
            Map<String, String> env = new TreeMap<>(System.getenv());
            byte[] body = env.entrySet().stream()
                    .filter(e -> e.getKey().matches("(MLOPS|QUARKUS|KAFKA)_.*"))
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("\n"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("stand-in listening on " + port);
    }
}
