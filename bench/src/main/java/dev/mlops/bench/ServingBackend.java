package dev.mlops.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model-server process deploy-svc started for a run, found on this machine (Linux: its environment in /proc
 * names the run's model and its port), so that its own figures can be told from those of the front before it.
 */
final class ServingBackend {

    private ServingBackend() {
    }

    static Optional<URI> invocationsOf(String runId) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                .map(p -> environment(p.pid()))
                .filter(env -> env.contains("MLOPS_MODEL_URI=") && env.contains(runId))
                .map(env -> variable(env, "QUARKUS_HTTP_PORT"))
                .flatMap(Optional::stream)
                .map(port -> URI.create("http://127.0.0.1:" + port + "/invocations"))
                .findFirst();
    }

    private static String environment(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "environ")),
                    StandardCharsets.UTF_8).replace('\0', '\n');
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static Optional<String> variable(String environment, String name) {
        return environment.lines().filter(l -> l.startsWith(name + "=")).map(l -> l.substring(name.length() + 1))
                .findFirst();
    }
}
