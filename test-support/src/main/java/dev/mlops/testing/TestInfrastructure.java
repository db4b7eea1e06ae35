package dev.mlops.testing;

import dev.mlops.stack.launch.LocalServers;
import dev.mlops.stack.launch.StackLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Shared by the test resources: a scratch folder per test JVM and the servers' launcher. */
final class TestInfrastructure {

    static final String S3_ACCESS_KEY = "test-access-key";
    static final String S3_SECRET_KEY = "test-secret-key";
    static final String DB_NAME = "mlops";
    static final String DB_USER = "mlops";
    static final String DB_PASSWORD = "mlops-test";

    private static Path root;

    private TestInfrastructure() {
    }

    static synchronized Path root() {
        if (root == null) {
            try {
                Path target = Path.of("target");
                root = Files.createTempDirectory(Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir")),
                        "test-infra-").toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return root;
    }

    static LocalServers servers() {
        return new LocalServers(StackLayout.load(), root().resolve("logs"), true);
    }
}
