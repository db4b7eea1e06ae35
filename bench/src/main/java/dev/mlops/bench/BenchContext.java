package dev.mlops.bench;

import java.io.PrintStream;
import java.nio.file.Path;

/** What every section measures with: the options, the stack, the runs so far, the scikit-learn reference. */
record BenchContext(BenchOptions options, Path home, BenchStack stack, PipelineRuns runs, SklearnReference sklearn,
                    Path workDir, PrintStream out) {

    Path titanicCsv() {
        return home.resolve("data/titanic.csv");
    }

    void say(String format, Object... args) {
        out.printf("  " + format + "%n", args);
    }
}
