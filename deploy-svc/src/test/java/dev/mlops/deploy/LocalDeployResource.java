package dev.mlops.deploy;

import dev.mlops.stack.launch.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Local deployments for the tests: the real model-server jar, a free front port, state under target/. */
public class LocalDeployResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        try {
            Path state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "deploy-state-").toAbsolutePath();
            return Map.of(
                    "mlops.deploy.local.server-jar", TestRuns.modelServerJar().toString(),
                    "mlops.deploy.local.port", String.valueOf(Ports.free()),
                    "mlops.deploy.local.state-dir", state.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
    }
}
