package dev.mlops.train.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.metrics.ClassificationMetrics;
import dev.mlops.testing.SklearnScript;
import dev.mlops.train.TitanicData;
import dev.mlops.train.service.CandidateScore;
import dev.mlops.train.service.GridSearch;
import dev.mlops.train.service.GridSearchResult;
import dev.mlops.train.service.ParamGrid;
import dev.mlops.train.service.ScoreCheckpoint;
import dev.mlops.train.service.TrainingSet;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The published grid (108 candidates x 3 folds) on the shipped Titanic data, preprocessed as published
 * (fitOn=all, 80/20 split with seed 42), next to the scikit-learn reference. Not a test: it prints figures.
 *
 * <pre>
 * ./mvnw -q -pl train-svc test-compile exec:java -Dexec.args="[--repeat N] [--parallelism P] [--unshared] [--sklearn] [--data CSV]"
 * </pre>
 * {@code --repeat} runs the grid N times in this JVM (the first run includes JIT warm-up, as a freshly started
 * service's first run does); {@code --unshared} fits every candidate as a fresh forest ({@code shareTrees: false},
 * scikit-learn's own work) instead of sharing trees across n_estimators; {@code --sklearn} also runs the reference script on this machine when
 * {@code /usr/bin/python3} has scikit-learn.
 */
public final class GridSearchBenchmark {

    private static final SklearnScript SCRIPT = new SklearnScript(Path.of("/work/shared/reference"));
    private static final long SEED = TitanicData.SEED;

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        TitanicData titanic = TitanicData.publishedSplit(options.data);
        PipelineSpec spec = PipelineSpec.defaults(options.data.toUri().toString());
        TrainingSet train = titanic.train();
        double[][] testX = titanic.testX();
        int[] testY = titanic.testY();

        GridSearch search = new GridSearch(options.parallelism);
        var candidates = ParamGrid.candidates(spec.model().grid());
        int folds = spec.model().cv();
        System.out.printf(Locale.ROOT, "data %s: %d train / %d test rows, %d features; grid %d candidates x %d folds;"
                        + " %s; %d threads on %d processors, java %s%n", options.data, train.rows(), testX.length,
                train.featureNames().size(), candidates.size(), folds,
                options.unshared ? "every candidate a fresh forest" : "trees shared across n_estimators",
                search.parallelism(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        List<Double> seconds = new ArrayList<>();
        GridSearchResult result = null;
        for (int run = 1; run <= options.repeat; run++) {
            long cpuStart = processCpuNanos();
            result = options.unshared
                    ? search.runEach(train, candidates, folds, SEED, (done, total) -> { }, ScoreCheckpoint.NONE)
                    : search.run(train, candidates, folds, SEED, (done, total) -> { });
            double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
            seconds.add(result.seconds());
            System.out.printf(Locale.ROOT, "run %d: grid search %.2f s wall, %.1f s CPU (%.1f candidates/s, %.1f fits/s);"
                            + " load average %.1f%n", run, result.seconds(), cpuSeconds, candidates.size() / result.seconds(),
                    candidates.size() * folds / result.seconds(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        CandidateScore best = result.best();
        long refitStart = System.nanoTime();
        RandomForestClassifier model = RandomForestClassifier.fit(train.x(), train.y(), (dev.mlops.model.forest.ForestParams) best.params(), SEED);
        double refitSeconds = (System.nanoTime() - refitStart) / 1e9;
        ClassificationMetrics test = ClassificationMetrics.of(testY, model.predict(testX), train.classLabels());

        System.out.println();
        System.out.println("                      train-svc (Java, Smile)        scikit-learn reference");
        Reference reference = Reference.published();
        row("grid search wall time", String.format(Locale.ROOT, "%.2f s (first run)%s", seconds.get(0),
                seconds.size() > 1 ? String.format(Locale.ROOT, ", best %.2f s", seconds.stream().min(Double::compare).orElseThrow()) : ""),
                reference.gridSeconds);
        row("candidates per second", String.format(Locale.ROOT, "%.1f", candidates.size() / seconds.get(0)),
                reference.candidatesPerSecond);
        row("best params", best.params().toString(), reference.bestParams);
        row("best CV score", String.format(Locale.ROOT, "%.6f", best.meanScore()), reference.bestCv);
        row("test accuracy", String.format(Locale.ROOT, "%.6f (%d/%d)", test.accuracy(),
                Math.round(test.accuracy() * testY.length), testY.length), reference.testAccuracy);
        row("refit of the best", String.format(Locale.ROOT, "%.2f s", refitSeconds), "");

        if (options.sklearn) {
            Reference measured = Reference.runHere(options.data);
            if (measured != null) {
                System.out.println();
                System.out.println("scikit-learn measured now, on this machine:");
                row("grid search wall time", "", measured.gridSeconds);
                row("best params / CV / test", "", measured.bestParams + " / " + measured.bestCv + " / " + measured.testAccuracy);
                System.out.printf(Locale.ROOT, "speed-up (sklearn now / train-svc first run): %.1fx%n",
                        measured.gridSecondsValue / seconds.get(0));
            }
        }
        if (reference.gridSecondsValue > 0) {
            System.out.printf(Locale.ROOT, "speed-up against the published reference runs (%s): %.1fx%n",
                    reference.gridSeconds, reference.gridSecondsValue / seconds.get(0));
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static void row(String what, String ours, String theirs) {
        System.out.printf(Locale.ROOT, "%-22s%-31s%s%n", what, ours, theirs);
    }

    private record Options(Path data, int repeat, int parallelism, boolean unshared, boolean sklearn) {
        static Options parse(String[] args) {
            Path data = TitanicData.csv();
            int repeat = 1;
            int parallelism = 0;
            boolean unshared = false;
            boolean sklearn = false;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--data" -> data = Path.of(args[++i]);
                    case "--repeat" -> repeat = Integer.parseInt(args[++i]);
                    case "--parallelism" -> parallelism = Integer.parseInt(args[++i]);
                    case "--unshared" -> unshared = true;
                    case "--sklearn" -> sklearn = true;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]
                            + " (use --data CSV, --repeat N, --parallelism P, --unshared, --sklearn)");
                }
            }
            return new Options(data.toAbsolutePath().normalize(), repeat, parallelism, unshared, sklearn);
        }
    }

    /** Figures of scikit-learn's run: the published results files, or a run of the script now. */
    private record Reference(String gridSeconds, double gridSecondsValue, String candidatesPerSecond,
                             String bestParams, String bestCv, String testAccuracy) {

        static Reference published() throws IOException {
            List<JsonNode> runs = SCRIPT.recordedRuns();
            if (runs.isEmpty()) {
                return new Reference("(no results in " + SCRIPT.results() + ")", 0, "", "", "", "");
            }
            double[] grid = runs.stream().mapToDouble(r -> r.get("grid_search_seconds").asDouble()).sorted().toArray();
            JsonNode first = runs.get(0);
            int candidates = first.get("n_candidates").asInt();
            String range = grid.length == 1 ? fmt(grid[0]) + " s" : fmt(grid[0]) + "-" + fmt(grid[grid.length - 1]) + " s";
            return new Reference(range + " (" + runs.size() + " runs)", grid[0],
                    fmt(candidates / grid[grid.length - 1]) + "-" + fmt(candidates / grid[0]),
                    first.get("best_params").toString(), String.format(Locale.ROOT, "%.6f", first.get("best_cv_score").asDouble()),
                    String.format(Locale.ROOT, "%.6f", first.get("test_accuracy").asDouble()));
        }

        static Reference runHere(Path data) throws Exception {
            if (!Files.isRegularFile(SCRIPT.script()) || !SklearnScript.pythonHasSklearn()) {
                System.out.println("(no side-by-side run: " + SklearnScript.PYTHON + " lacks scikit-learn or "
                        + SCRIPT.script() + " is missing)");
                return null;
            }
            System.out.println("running " + SCRIPT.script() + " ...");
            Path times = Files.createTempFile("sklearn-cpu", ".txt");
            List<String> wrapper = Files.isExecutable(Path.of("/usr/bin/time"))
                    ? List.of("/usr/bin/time", "-f", "%U %S", "-o", times.toString()) : List.of();
            JsonNode result;
            try {
                result = SCRIPT.run(wrapper, data, List.of(), ProcessBuilder.Redirect.DISCARD, Duration.ofMinutes(10))
                        .figures();
            } catch (IllegalStateException e) {
                System.out.println("(the reference script failed: " + e.getMessage() + ")");
                return null;
            }
            double grid = result.get("grid_search_seconds").asDouble();
            String cpu = Files.readString(times).trim();
            Files.deleteIfExists(times);
            if (!cpu.isEmpty()) {
                String[] userSys = cpu.split("\\s+");
                System.out.printf(Locale.ROOT, "scikit-learn used %.1f s CPU for the whole script (user + sys,"
                        + " its worker processes included)%n", Double.parseDouble(userSys[0]) + Double.parseDouble(userSys[1]));
            }
            return new Reference(fmt(grid) + " s", grid, fmt(result.get("n_candidates").asInt() / grid),
                    result.get("best_params").toString(),
                    String.format(Locale.ROOT, "%.6f", result.get("best_cv_score").asDouble()),
                    String.format(Locale.ROOT, "%.6f", result.get("test_accuracy").asDouble()));
        }

        private static String fmt(double value) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
    }
}
