package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.testing.SklearnScript;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * scikit-learn's side of the models section, {@code bench/src/main/python/sklearn_models.py} run with
 * {@code /usr/bin/python3}: it exports the data sets scikit-learn ships as CSV, and runs one grid search on one CSV.
 * Its standard error goes to a log in the work folder.
 */
final class SklearnModels {

    static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final Path script;
    private final Path workDir;

    SklearnModels(Path home, Path workDir) {
        this.script = home.resolve("bench/src/main/python/sklearn_models.py");
        this.workDir = workDir;
    }

    /** Writes the CSVs into the work folder; answers {@code {"datasets": {name: {"csv", "rows", "features", "task"}}}}. */
    JsonNode export() throws IOException, InterruptedException {
        return run("export", List.of("export", "--out", workDir.toString()));
    }

    /** The grid search of {@code comparison} on {@code csv}, with the platform's split and preprocessing. */
    JsonNode fit(ModelComparison comparison, Path csv) throws IOException, InterruptedException {
        return run(comparison.type() + "-" + comparison.dataset(), List.of("fit", "--data", csv.toString(),
                "--task", comparison.task(), "--model", comparison.type(), "--grid", comparison.grid().toString(),
                "--cv", String.valueOf(ModelComparison.CV)));
    }

    private JsonNode run(String logName, List<String> args) throws IOException, InterruptedException {
        if (!SklearnScript.pythonHasSklearn()) {
            throw new IllegalStateException("/usr/bin/python3 cannot import sklearn: apt-get install python3-sklearn");
        }
        Files.createDirectories(workDir);
        Path log = workDir.resolve(logName + ".log");
        try {
            return SklearnScript.python(List.of(), script, args, ProcessBuilder.Redirect.to(log.toFile()), TIMEOUT)
                    .figures();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + log, e);
        }
    }
}
