package dev.mlops.bench;

import dev.mlops.common.json.Json;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ./mlops bench}: measures the platform on this machine, section by section (end-to-end, event hops,
 * training, models against scikit-learn, image build, serving, tracking, load, cost as the data grows), prints a table of the figures with
 * issues 7 and 16's targets and writes them as JSON. Not a test: nothing here runs during {@code ./mvnw verify}.
 */
public final class Bench {

    static final List<Section> SECTIONS = List.of(new EndToEndSection(), new EventHopSection(), new TrainingSection(),
            new ModelsSection(), new ImageSection(), new ServingSection(), new TrackingSection(), new LoadSection(),
            new StackSection(), new ScaleSection(), new ScaleOutSection());

    private Bench() {
    }

    public static void main(String[] args) {
        Path home = Path.of(System.getProperty("mlops.home", ".")).toAbsolutePath().normalize();
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.print(BenchOptions.USAGE);
            return;
        }
        BenchOptions options;
        try {
            options = BenchOptions.parse(home, args);
        } catch (IllegalArgumentException e) {
            System.err.println("mlops bench: " + e.getMessage());
            System.err.print(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            System.exit(run(home, options, System.out));
        } catch (Exception e) {
            System.err.println("mlops bench: " + e.getMessage());
            System.exit(1);
        }
    }

    static int run(Path home, BenchOptions options, PrintStream out) throws Exception {
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("startedAt", Instant.now().toString());
        context.put("options", options.toString());
        context.put("machine", Machine.describe());
        out.println("mlops bench: " + options);
        List<Figure> figures = new ArrayList<>();
        Map<String, String> failed = new LinkedHashMap<>();
        Map<String, String> loads = new LinkedHashMap<>();
        try (BenchStack stack = BenchStack.attachOrStart(home, System.getenv(), options.ownStack(),
                options.serviceConfig(), out)) {
            Thread stopOnSignal = new Thread(stack::close);
            Runtime.getRuntime().addShutdownHook(stopOnSignal);
            context.put("stack", stack.description());
            out.println("measuring " + stack.description());
            Path work = home.resolve("bench/target/bench-work");
            BenchContext bench = new BenchContext(options, home, stack, new PipelineRuns(stack.tracking()),
                    new SklearnReference(options.reference(), work.resolve("sklearn")), work, out);
            for (Section section : SECTIONS) {
                if (!options.runs(section.name())) {
                    continue;
                }
                out.printf("%n== %s (load average %s)%n", section.name(), Machine.loadAverage());
                long start = System.nanoTime();
                try {
                    figures.addAll(section.measure(bench));
                } catch (PartlyMeasured e) {
                    figures.addAll(e.figures());
                    failed.put(section.name(), e.getMessage());
                    out.println("  FAILED in part: " + e.getMessage());
                } catch (Exception e) {
                    failed.put(section.name(), e.getMessage());
                    out.println("  FAILED: " + e.getMessage());
                }
                loads.put(section.name(), String.format("%.0f s, load average after %s",
                        (System.nanoTime() - start) / 1e9, Machine.loadAverage()));
            }
            Runtime.getRuntime().removeShutdownHook(stopOnSignal);
        }
        context.put("sections", loads);
        out.println();
        out.print(ResultsTable.format(figures));
        Files.createDirectories(options.out().toAbsolutePath().getParent());
        Files.writeString(options.out(), Json.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(ResultsJson.of(context, figures, failed)) + "\n");
        out.println();
        out.println("results: " + options.out());
        long missed = figures.stream().filter(f -> Boolean.FALSE.equals(f.met())).count();
        out.printf("%d targets met, %d missed%s%n", figures.stream().filter(f -> Boolean.TRUE.equals(f.met())).count(),
                missed, failed.isEmpty() ? "" : "; sections that failed: " + String.join(", ", failed.keySet()));
        return failed.isEmpty() ? 0 : 1;
    }
}
