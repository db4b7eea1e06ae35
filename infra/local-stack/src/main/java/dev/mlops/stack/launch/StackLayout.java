package dev.mlops.stack.launch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where the server processes' code is, as written into local-stack.properties when this module was built. */
public record StackLayout(String serversClasspath, Path s3proxyJar, Path classesDir) {

    public static StackLayout load() {
        Properties p = new Properties();
        try (InputStream in = StackLayout.class.getResourceAsStream("/local-stack.properties")) {
            if (in == null) {
                throw new IllegalStateException("local-stack.properties is missing: build infra/local-stack first");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StackLayout layout = new StackLayout(p.getProperty("servers.classpath"),
                Path.of(p.getProperty("s3proxy.jar")), Path.of(p.getProperty("classes.dir")));
        if (!Files.isRegularFile(layout.s3proxyJar)) {
            throw new IllegalStateException(layout.s3proxyJar + " is missing: rebuild infra/local-stack");
        }
        return layout;
    }

    /** The java executable of the running JVM, so every server runs on the same JDK. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
