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
 * {@code /usr/bin/python3}: it exports the data sets scikit-learn ships as CSV, makes classification data sets of any
 * size (the scale section's), and runs one grid search on one CSV.
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
        return fit(comparison.type() + "-" + comparison.dataset(), csv, comparison.task(), comparison.type(),
                comparison.grid(), ModelComparison.CV, TIMEOUT);
    }

    /** A grid search of {@code model} on {@code csv} (column "target"), split and preprocessed as the platform does. */
    JsonNode fit(String logName, Path csv, String task, String model, JsonNode grid, int cv, Duration timeout)
            throws IOException, InterruptedException {
        return run(logName, List.of("fit", "--data", csv.toString(), "--task", task, "--model", model,
                "--grid", grid.toString(), "--cv", String.valueOf(cv)), timeout);
    }

    /** Writes scikit-learn's make_classification (20 features, random_state 42) of {@code rows} rows as {@code csv}. */
    JsonNode makeClassification(int rows, Path csv) throws IOException, InterruptedException {
        return run("make-" + rows, List.of("make", "--rows", String.valueOf(rows), "--out", csv.toString()), TIMEOUT);
    }

    private JsonNode run(String logName, List<String> args) throws IOException, InterruptedException {
        return run(logName, args, TIMEOUT);
    }

    private JsonNode run(String logName, List<String> args, Duration timeout) throws IOException, InterruptedException {
        if (!SklearnScript.pythonHasSklearn()) {
            throw new IllegalStateException("/usr/bin/python3 cannot import sklearn: apt-get install python3-sklearn");
        }
        Files.createDirectories(workDir);
        Path log = workDir.resolve(logName + ".log");
        try {
            return SklearnScript.python(List.of(), script, args, ProcessBuilder.Redirect.to(log.toFile()), timeout)
                    .figures();
        } catch (IllegalStateException e) {
            throw new IllegalStateException(e.getMessage() + "; see " + log, e);
        }
    }
}
