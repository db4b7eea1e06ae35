package dev.mlops.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The published scikit-learn workflow, {@code sklearn_reference.py} in the reference folder: the figures of its
 * recorded runs ({@code results/full-run*.json}) and a run of it on this machine with {@code /usr/bin/python3}.
 * Used by train-svc's grid-search benchmark and by the bench module; plain JDK, no Quarkus.
 */
public final class SklearnScript {

    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private final Path reference;

    /** @param reference the reference folder, with {@code sklearn_reference.py} and {@code results/} */
    public SklearnScript(Path reference) {
        this.reference = reference;
    }

    /** What a run printed: all of its standard output, and its last line (the figures) read as JSON. */
    public record Run(String output, JsonNode figures) {
    }

    public Path script() {
        return reference.resolve("sklearn_reference.py");
    }

    public Path results() {
        return reference.resolve("results");
    }

    /** Whether {@code /usr/bin/python3} exists and imports sklearn. */
    public static boolean pythonHasSklearn() {
        try {
            return Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c", "import sklearn")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The recorded runs' figures in file-name order; empty when there are none. */
    public List<JsonNode> recordedRuns() throws IOException {
        List<JsonNode> runs = new ArrayList<>();
        if (Files.isDirectory(results())) {
            try (Stream<Path> files = Files.list(results())) {
                for (Path file : files.filter(f -> f.getFileName().toString().matches("full-run.*\\.json")).sorted().toList()) {
                    runs.add(Json.tree(Files.readString(file)));
                }
            }
        }
        return runs;
    }

    /**
     * Runs {@code [wrapper...] /usr/bin/python3 sklearn_reference.py --data DATA [extraArgs...]} with its standard
     * error sent to {@code errors}.
     *
     * @param wrapper what runs the script, e.g. {@code /usr/bin/time -f ...}; empty for python3 itself
     * @throws IllegalStateException when the script is missing, fails or is still running after {@code timeout}
     */
    public Run run(List<String> wrapper, Path data, List<String> extraArgs, ProcessBuilder.Redirect errors,
                   Duration timeout) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("--data", data.toString()));
        args.addAll(extraArgs);
        return python(wrapper, script(), args, errors, timeout);
    }

    /**
     * Runs {@code [wrapper...] /usr/bin/python3 SCRIPT [args...]}, a script that prints its figures as one JSON line
     * last, with its standard error sent to {@code errors}.
     *
     * @throws IllegalStateException when the script is missing, fails or is still running after {@code timeout}
     */
    public static Run python(List<String> wrapper, Path script, List<String> args, ProcessBuilder.Redirect errors,
                             Duration timeout) throws IOException, InterruptedException {
        String name = script.getFileName().toString();
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing");
        }
        List<String> command = new ArrayList<>(wrapper);
        command.addAll(List.of(PYTHON.toString(), script.toString()));
        command.addAll(args);
        Process process = new ProcessBuilder(command).redirectError(errors).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within " + timeout.toMinutes() + " min");
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(name + " failed (exit " + process.exitValue() + ")");
        }
        return new Run(out, Json.tree(out.substring(out.lastIndexOf('\n') + 1)));
    }
}
