package dev.mlops.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** What {@code ./mlops bench} was asked to do. */
public record BenchOptions(int runs, int hopRuns, int trackingRuns, int searchRuns, int servingSeconds, int connections,
                           Set<String> sections, Path out, Path reference, boolean ownStack,
                           List<String> serviceConfig, List<Integer> scaleRows) {

    public static final List<String> SECTIONS = Bench.SECTIONS.stream().map(Section::name).toList();

    /** The scale section's sizes when not told: the full curve (with 1,000,000) takes an hour, so only on request. */
    public static final List<Integer> DEFAULT_SCALE_ROWS = List.of(10_000, 100_000);

    public static final String USAGE = """
            usage: ./mlops bench [options]
              Measures the platform on this machine and writes BENCHMARKS.md's figures (see BENCHMARKS.md).
              Uses the stack at MLOPS_TRACKING_URL (default http://127.0.0.1:8080) when it answers, else starts a
              scratch stack of its own on free ports and stops it at the end.
            options:
              --runs N              runs of the default pipeline (end-to-end) and of the published grid (training); 3
              --hop-runs N          tiny runs whose event hops are measured; 20
              --tracking-runs N     runs stored before GET /pipelines is timed; 10000
              --search-runs N       MLflow runs (runs/create + log-batch) stored before runs/search is timed; 100000
              --serving-duration S  seconds of each wrk run; 20
              --connections N       wrk connections; 16 (as the reference's serve_bench.sh)
              --only A,B            run only these sections: e2e, hops, training, models, image, serving, tracking,
                                    load, stack, scale, scaleout (stack and scaleout need --own-stack)
              --scale-rows N,M      data set sizes of the scale section; 10000,100000 (the full curve, about an
                                    hour: --only scale --scale-rows 10000,100000,1000000)
              --skip A,B            leave these sections out
              --out FILE            the JSON results; bench/target/bench-results.json
              --reference DIR       the scikit-learn reference (sklearn_reference.py, sklearn_serve.py, wrk_post.lua,
                                    results/); ../shared/reference next to the repository
              --own-stack           start a scratch stack even if one answers
              --service-config K=V  a configuration property for every service of the scratch stack (repeatable),
                                    to measure a setting before changing it, e.g.
                                    mp.messaging.connector.smallrye-kafka.linger.ms=0
            """;

    public static BenchOptions parse(Path home, String... args) {
        int runs = 3;
        int hopRuns = 20;
        int trackingRuns = 10_000;
        int searchRuns = 100_000;
        int servingSeconds = 20;
        int connections = 16;
        Set<String> only = null;
        Set<String> skip = Set.of();
        Path out = home.resolve("bench/target/bench-results.json");
        Path reference = home.resolve("../shared/reference").normalize();
        boolean ownStack = false;
        List<String> serviceConfig = new ArrayList<>();
        List<Integer> scaleRows = DEFAULT_SCALE_ROWS;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            switch (option) {
                case "--runs" -> runs = positive(option, value(args, ++i, option));
                case "--hop-runs" -> hopRuns = positive(option, value(args, ++i, option));
                case "--tracking-runs" -> trackingRuns = positive(option, value(args, ++i, option));
                case "--search-runs" -> searchRuns = positive(option, value(args, ++i, option));
                case "--serving-duration" -> servingSeconds = positive(option, value(args, ++i, option).replaceAll("s$", ""));
                case "--connections" -> connections = positive(option, value(args, ++i, option));
                case "--only" -> only = sections(option, value(args, ++i, option));
                case "--skip" -> skip = sections(option, value(args, ++i, option));
                case "--out" -> out = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--reference" -> reference = Path.of(value(args, ++i, option)).toAbsolutePath();
                case "--own-stack" -> ownStack = true;
                case "--scale-rows" -> scaleRows = sizes(option, value(args, ++i, option));
                case "--service-config" -> serviceConfig.add(property(value(args, ++i, option)));
                default -> throw new IllegalArgumentException("unknown option '" + option + "'");
            }
        }
        Set<String> chosen = new LinkedHashSet<>(only == null ? SECTIONS : SECTIONS.stream().filter(only::contains).toList());
        chosen.removeAll(skip);
        if (chosen.isEmpty()) {
            throw new IllegalArgumentException("--only and --skip leave no section to run");
        }
        return new BenchOptions(runs, hopRuns, trackingRuns, searchRuns, servingSeconds, connections, chosen, out, reference,
                ownStack || !serviceConfig.isEmpty(), List.copyOf(serviceConfig), scaleRows);
    }

    public boolean runs(String section) {
        return sections.contains(section);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String value) {
        try {
            int number = Integer.parseInt(value.trim());
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(option + " must be a whole number above 0, got '" + value + "'");
    }

    private static List<Integer> sizes(String option, String value) {
        List<Integer> sizes = new ArrayList<>();
        for (String size : value.split(",")) {
            sizes.add(positive(option, size.replace("_", "")));
        }
        return List.copyOf(sizes);
    }

    private static String property(String value) {
        int equals = value.indexOf('=');
        if (equals <= 0) {
            throw new IllegalArgumentException("--service-config takes KEY=VALUE, got '" + value + "'");
        }
        return value;
    }

    private static Set<String> sections(String option, String value) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : value.toLowerCase(Locale.ROOT).split(",")) {
            String trimmed = name.trim();
            if (!SECTIONS.contains(trimmed)) {
                throw new IllegalArgumentException(option + ": no section '" + trimmed + "' (sections: "
                        + String.join(", ", SECTIONS) + ")");
            }
            names.add(trimmed);
        }
        return names;
    }

    @Override
    public String toString() {
        return "--runs " + runs + " --hop-runs " + hopRuns + " --tracking-runs " + trackingRuns + " --search-runs " + searchRuns
                + " --serving-duration "
                + servingSeconds + " --connections " + connections + " sections " + String.join(",", sections)
                + (sections.contains(ScaleSection.NAME) ? " --scale-rows " + scaleRows.stream().map(String::valueOf)
                .collect(Collectors.joining(",")) : "")
                + (ownStack ? " --own-stack" : "")
                + serviceConfig.stream().map(p -> " --service-config " + p).collect(Collectors.joining());
    }
}
