package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testing.SklearnScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The published scikit-learn workflow ({@code sklearn_reference.py}, full grid) run once on this machine with
 * {@code /usr/bin/python3}, keeping its best model for the reference scoring server; when python3 lacks
 * scikit-learn, the figures recorded in the reference's {@code results/full-run*.json}.
 */
final class SklearnReference {

    /** The script's JSON line, whether it was measured now, and the pickled best model when it was. */
    record Result(JsonNode figures, boolean measuredNow, Path model) {

        double gridSeconds() {
            return figures.path("grid_search_seconds").asDouble();
        }

        int candidates() {
            return figures.path("n_candidates").asInt();
        }
    }

    private final SklearnScript script;
    private final Path workDir;
    private Result result;

    SklearnReference(Path reference, Path workDir) {
        this.script = new SklearnScript(reference);
        this.workDir = workDir;
    }

    synchronized Result get(Path data) throws IOException, InterruptedException {
        if (result == null) {
            result = SklearnScript.pythonHasSklearn() ? runHere(data) : recorded();
        }
        return result;
    }

    private Result runHere(Path data) throws IOException, InterruptedException {
        if (!Files.isRegularFile(script.script())) {
            throw new IllegalStateException(script.script() + " is missing (--reference DIR names the reference folder)");
        }
        Files.createDirectories(workDir);
        Path model = workDir.resolve("model.pkl");
        Path log = workDir.resolve("sklearn_reference.log");
        SklearnScript.Run run;
        try {
            run = script.run(List.of(), data, List.of("--save-model", model.toString()),
                    ProcessBuilder.Redirect.to(log.toFile()), Duration.ofMinutes(15));
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + log, e);
        }
        Files.writeString(workDir.resolve("sklearn_reference.json"), run.output() + "\n");
        return new Result(run.figures(), true, model);
    }

    private Result recorded() throws IOException {
        List<JsonNode> runs = new ArrayList<>(script.recordedRuns());
        if (runs.isEmpty()) {
            throw new IllegalStateException("no scikit-learn to run (/usr/bin/python3 without sklearn) and no recorded"
                    + " results in " + script.results());
        }
        runs.sort((a, b) -> Double.compare(a.path("grid_search_seconds").asDouble(), b.path("grid_search_seconds").asDouble()));
        return new Result(runs.get(runs.size() / 2), false, null);
    }
}
