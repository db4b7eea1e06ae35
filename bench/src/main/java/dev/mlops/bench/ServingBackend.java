package dev.mlops.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The model-server that answers a run's serving URL, found on this machine (Linux: a process's environment in /proc
 * names its port and model), so that its own figures can be told from those of anything in front of it. A local deploy
 * serves from the warm model-server listening on the serving URL's port itself; a container deploy serves behind
 * deploy-svc's front.
 */
final class ServingBackend {

    /** Where to reach the model-server straight, and whether that is the serving URL itself (no proxy in between). */
    record Direct(URI invocations, boolean isServingUrl) {
    }

    private ServingBackend() {
    }

    static Optional<Direct> of(URI servingUrl, String runId) {
        String port = String.valueOf(servingUrl.getPort());
        Optional<String> listening = modelServerEnvironments()
                .filter(env -> variable(env, "QUARKUS_HTTP_PORT").filter(port::equals).isPresent())
                .findFirst();
        if (listening.isPresent()) {
            return Optional.of(new Direct(servingUrl, true));
        }
        return modelServerEnvironments()
                .filter(env -> env.contains("MLOPS_MODEL_URI=") && env.contains(runId))
                .map(env -> variable(env, "QUARKUS_HTTP_PORT"))
                .flatMap(Optional::stream)
                .map(p -> new Direct(URI.create("http://127.0.0.1:" + p + "/invocations"), false))
                .findFirst();
    }

    private static java.util.stream.Stream<String> modelServerEnvironments() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().map(c -> c.contains("quarkus-run.jar")).orElse(false))
                .map(p -> environment(p.pid()))
                .filter(env -> env.contains("\nMLOPS_MODEL_") || env.startsWith("MLOPS_MODEL_"));
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
