package dev.mlops.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.stack.launch.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Local deployments for the tests: the real model-server jar, a free front port, state under target/. The model-server
 * serving at the end outlives deploy-svc (as it does for a restart): it is stopped here, by its recorded pid.
 */
public class LocalDeployResource implements QuarkusTestResourceLifecycleManager {

    private Path state;

    @Override
    public Map<String, String> start() {
        try {
            state = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "deploy-state-").toAbsolutePath();
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
        Path record = state.resolve("current.json");
        if (!Files.isRegularFile(record)) {
            return;
        }
        try {
            JsonNode current = Json.tree(Files.readString(record));
            ProcessHandle.of(current.path("pid").asLong()).ifPresent(ProcessHandle::destroy);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
