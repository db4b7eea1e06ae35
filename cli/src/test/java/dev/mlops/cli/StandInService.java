package dev.mlops.cli;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * Stands in for a Quarkus service in the launch test (a real process started from a {@code quarkus-run.jar}):
 * listens on {@code QUARKUS_HTTP_PORT}, answers {@code /q/health/ready} and {@code /q/health}, and shows the MLOPS_,
 * QUARKUS_, KAFKA_ and MALLOC_ variables it was started with at {@code /env}. {@code STANDIN_MODE=exit} fails at
 * start, {@code unready} never gets ready.
 */
public final class StandInService {

    /**
     * Writes a jar like Quarkus' fast-jar launcher that starts this class. Its class is in the jar, not on a folder
     * of the class path: the class-data archive of {@code ./mlops up} cannot hold classes from folders.
     */
    static void writeJar(Path jar) throws IOException {
        writeJar(jar, StandInService.class);
    }

    /** Writes a jar holding the class file of {@code main} (without nested classes) as its main class. */
    static void writeJar(Path jar, Class<?> main) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, main.getName());
        String entry = main.getName().replace('.', '/') + ".class";
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
            jarOut.putNextEntry(new JarEntry(entry));
            jarOut.write(Files.readAllBytes(Path.of("target/test-classes").resolve(entry)));
            jarOut.closeEntry();
        }
    }

    public static void main(String[] args) throws IOException {
        String mode = System.getenv().getOrDefault("STANDIN_MODE", "ready");
        if (mode.equals("exit")) {
            System.out.println("ERROR boom: config property mlops.s3.secret-key is required");
            System.exit(3);
        }
        int port = Integer.parseInt(System.getenv("QUARKUS_HTTP_PORT"));
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv("QUARKUS_HTTP_HOST"), port), 0);
        for (String check : new String[] {"/q/health/ready", "/q/health"}) {
            server.createContext(check, exchange -> {
                exchange.sendResponseHeaders(mode.equals("ready") ? 200 : 503, -1);
                exchange.close();
            });
        }
        server.createContext("/env", exchange -> {
            Map<String, String> env = new TreeMap<>(System.getenv());
            byte[] body = env.entrySet().stream()
                    .filter(e -> e.getKey().matches("(MLOPS|QUARKUS|KAFKA|MALLOC)_.*"))
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
