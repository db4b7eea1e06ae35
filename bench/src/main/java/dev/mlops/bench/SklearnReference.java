package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The published scikit-learn workflow ({@code sklearn_reference.py}, full grid) run once on this machine with
 * {@code /usr/bin/python3}, keeping its best model for the reference scoring server; when python3 lacks
 * scikit-learn, the figures recorded in the reference's {@code results/full-run*.json}.
 */
final class SklearnReference {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    /** The script's JSON line, whether it was measured now, and the pickled best model when it was. */
    record Result(JsonNode figures, boolean measuredNow, Path model) {

        double gridSeconds() {
            return figures.path("grid_search_seconds").asDouble();
        }

        int candidates() {
            return figures.path("n_candidates").asInt();
        }
    }

    private final Path reference;
    private final Path workDir;
    private Result result;

    SklearnReference(Path reference, Path workDir) {
        this.reference = reference;
        this.workDir = workDir;
    }

    static boolean pythonHasSklearn() {
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

    synchronized Result get(Path data) throws IOException, InterruptedException {
        if (result == null) {
            result = pythonHasSklearn() ? runHere(data) : recorded();
        }
        return result;
    }

    private Result runHere(Path data) throws IOException, InterruptedException {
        Path script = reference.resolve("sklearn_reference.py");
        if (!Files.isRegularFile(script)) {
            throw new IllegalStateException(script + " is missing (--reference DIR names the reference folder)");
        }
        Files.createDirectories(workDir);
        Path model = workDir.resolve("model.pkl");
        Path log = workDir.resolve("sklearn_reference.log");
        Process process = new ProcessBuilder(PYTHON.toString(), script.toString(), "--data", data.toString(),
                "--save-model", model.toString()).redirectError(log.toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!process.waitFor(15, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IllegalStateException("sklearn_reference.py failed (exit " + process.exitValue() + "); see " + log);
        }
        JsonNode figures = Json.tree(out.substring(out.lastIndexOf('\n') + 1));
        Files.writeString(workDir.resolve("sklearn_reference.json"), out + "\n");
        return new Result(figures, true, model);
    }

    private Result recorded() throws IOException {
        Path results = reference.resolve("results");
        List<JsonNode> runs = new ArrayList<>();
        if (Files.isDirectory(results)) {
            try (Stream<Path> files = Files.list(results)) {
                for (Path file : files.filter(f -> f.getFileName().toString().matches("full-run.*\\.json")).sorted().toList()) {
                    runs.add(Json.tree(Files.readString(file)));
                }
            }
        }
        if (runs.isEmpty()) {
            throw new IllegalStateException("no scikit-learn to run (/usr/bin/python3 without sklearn) and no recorded"
                    + " results in " + results);
        }
        runs.sort((a, b) -> Double.compare(a.path("grid_search_seconds").asDouble(), b.path("grid_search_seconds").asDouble()));
        return new Result(runs.get(runs.size() / 2), false, null);
    }
}
