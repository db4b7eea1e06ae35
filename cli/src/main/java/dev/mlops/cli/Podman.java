package dev.mlops.cli;

import dev.mlops.stack.launch.PodmanService;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The {@code podman} command with the stack's configuration ({@code <state>/podman}: runc, ulimits 4096, the local
 * registry over plain HTTP; written by local-stack's {@link PodmanService#writeConfiguration}), so that what the CLI
 * runs and what {@code podman system service} runs for deploy-svc share one setup and one image store.
 */
final class Podman {

    private final Map<String, String> environment;

    private Podman(Map<String, String> environment) {
        this.environment = environment;
    }

    /** Writes the configuration for the stack in {@code state}, where {@code registries} are reached over HTTP. */
    static Podman configured(StateDir state, List<String> insecureRegistries) {
        try {
            java.nio.file.Files.createDirectories(state.podman());
            return new Podman(PodmanService.writeConfiguration(state.podman(), insecureRegistries));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write podman's configuration in " + state.podman(), e);
        }
    }

    /** CONTAINERS_CONF and CONTAINERS_REGISTRIES_CONF. */
    Map<String, String> environment() {
        return environment;
    }

    /** What a podman command printed: stdout apart (an id, a format's output), stderr for error messages. */
    record Result(int exitCode, String stdout, String stderr) {
        boolean ok() {
            return exitCode == 0;
        }

        /** stderr, else stdout, trimmed: what to show when the command failed. */
        String problem() {
            return (stderr.isBlank() ? stdout : stderr).strip();
        }
    }

    Result run(Duration timeout, String... args) {
        return run(timeout, List.of(args));
    }

    Result run(Duration timeout, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(PodmanService.BINARY.toString());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().putAll(environment);
        try {
            Process process = builder.start();
            CompletableFuture<String> stdout = readAll(process.getInputStream());
            CompletableFuture<String> stderr = readAll(process.getErrorStream());
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CliException("podman " + String.join(" ", args) + " did not finish within "
                        + Durations.format(timeout));
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + PodmanService.BINARY, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while running podman " + String.join(" ", args));
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        });
    }
}
