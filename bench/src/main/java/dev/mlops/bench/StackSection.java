package dev.mlops.bench;

import dev.mlops.cli.ScratchStack;
import dev.mlops.common.json.Json;
import dev.mlops.testing.Http200;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * How light the local stack is: {@code ./mlops up} to every service ready (per service and in all), the resident
 * memory of each service and of model-server after one default run, and the CPU the idle stack burns over a minute
 * (just after the run, and again once the JIT has settled),
 * per process from {@code /proc}. Stops and starts the scratch stack, so it needs {@code --own-stack}.
 */
final class StackSection implements Section {

    static final String NAME = "stack";
    static final String MODEL_SERVER = "model-server";
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static final Duration IDLE = Duration.ofSeconds(60);
    /** Between the two idle measurements: long enough for the JIT to finish with what the run made hot. */
    private static final Duration QUIET = Duration.ofSeconds(60);
    private static final double GIB = 1024.0 * 1024 * 1024;
    private static final double MIB = 1024.0 * 1024;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        BenchStack stack = context.stack();
        if (!stack.own()) {
            context.say("skipped: it stops and starts the stack it measures, so it needs --own-stack");
            return List.of();
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(NAME, "./mlops up, fresh state folder", stack.firstUpSeconds(), "s",
                "the benchmark's first up: initdb, topics created, class-data archives written"));
        figures.addAll(timeUp(context));

        PipelineRuns.Finished run = context.runs().runToSuccess(Specs.DEFAULT);
        context.say("one default run %s: %.1f s (%s)", run.runId(), run.wallSeconds(),
                EndToEndSection.describe(run.stageSeconds()));
        Map<String, List<Long>> services = processes(stack.state(), ScratchStack.servicePortVariables().keySet(),
                false);
        modelServer(stack.state()).ifPresent(pid -> services.put(MODEL_SERVER, List.of(pid)));
        Map<String, List<Long>> infra = processes(stack.state(), infraNames(stack.state(), services.keySet()), true);
        context.say("%d s to settle, then the resident memory of every process, then its CPU time over %d s, twice:"
                + " just after the run (the JIT still compiles what it made hot), then from %d s after it",
                SETTLE.toSeconds(), IDLE.toSeconds(), (SETTLE.plus(IDLE).plus(QUIET)).toSeconds());
        Thread.sleep(SETTLE.toMillis());
        figures.addAll(memory(context, services, infra));
        figures.addAll(idleCpu(context, services, infra, "just after a run", false));
        Thread.sleep(QUIET.toMillis());
        figures.addAll(idleCpu(context, services, infra, "settled", true));
        return figures;
    }

    /** {@code ./mlops down}, then {@code ./mlops up} timed, each service's readiness watched while it starts. */
    private List<Figure> timeUp(BenchContext context) throws InterruptedException {
        Map<String, Integer> ports = new LinkedHashMap<>();
        ScratchStack.servicePortVariables().forEach((service, variable) ->
                ports.put(service, Integer.parseInt(context.stack().env().get(variable))));
        ReadinessWatch watch = new ReadinessWatch(ports);
        long[] begin = new long[1];
        boolean up = context.stack().stopAndStart(() -> {
            begin[0] = System.nanoTime();
            watch.start(begin[0]);
        });
        double total = (System.nanoTime() - begin[0]) / 1e9;
        Map<String, Double> ready = watch.stop();
        if (!up) {
            throw new IllegalStateException("./mlops up failed after ./mlops down; see bench/target/bench-stack.log");
        }
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(NAME, "./mlops up to every service ready", total, "s",
                "./mlops down, then up on the same state folder: infrastructure, then every service at once"
                        + " (2 cores)").withTarget(Target.below(15, "s")));
        ready.forEach((service, seconds) -> figures.add(Figure.of(NAME, "  " + service + " ready", seconds, "s",
                "since up began: first 200 on /q/health/ready, polled every 100 ms")));
        context.say("up %.1f s; ready after %s", total, describe(ready, "%.1f s"));
        return figures;
    }

    private static List<Figure> memory(BenchContext context, Map<String, List<Long>> services,
                                       Map<String, List<Long>> infra) {
        List<Figure> figures = new ArrayList<>();
        long total = 0;
        Map<String, Double> each = new LinkedHashMap<>();
        for (var process : services.entrySet()) {
            long rss = ProcStats.rssBytes(process.getValue());
            total += rss;
            each.put(process.getKey(), rss / MIB);
            figures.add(Figure.of(NAME, "  RSS " + process.getKey(), rss / MIB, "MiB",
                    "VmRSS " + SETTLE.toSeconds() + " s after one default run"));
        }
        figures.add(0, Figure.of(NAME, "RSS of the services and model-server after a run", total / GIB, "GiB",
                "sum of VmRSS (/proc/<pid>/status) of the " + services.size() + " processes")
                .withTarget(Target.below(1.5, "GiB")));
        for (var process : infra.entrySet()) {
            double rss = ProcStats.rssBytes(process.getValue()) / MIB;
            each.put(process.getKey(), rss);
            figures.add(Figure.of(NAME, "  RSS " + process.getKey(), rss, "MiB",
                    "VmRSS " + SETTLE.toSeconds() + " s after one default run, with the processes it started"));
        }
        context.say("RSS (MiB): %s", describe(each, "%.0f"));
        return figures;
    }

    private static List<Figure> idleCpu(BenchContext context, Map<String, List<Long>> services,
                                        Map<String, List<Long>> infra, String when, boolean targeted)
            throws InterruptedException {
        Map<String, List<Long>> all = new LinkedHashMap<>(services);
        all.putAll(infra);
        Map<String, Double> before = new LinkedHashMap<>();
        all.forEach((name, pids) -> before.put(name, ProcStats.cpuSeconds(pids)));
        long start = System.nanoTime();
        Thread.sleep(IDLE.toMillis());
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> percent = new LinkedHashMap<>();
        all.forEach((name, pids) -> percent.put(name,
                100 * (ProcStats.cpuSeconds(pids) - before.get(name)) / seconds));
        double servicesTotal = services.keySet().stream().mapToDouble(percent::get).sum();
        double stackTotal = percent.values().stream().mapToDouble(Double::doubleValue).sum();
        List<Figure> figures = new ArrayList<>();
        String note = String.format(Locale.ROOT, "utime+stime (/proc/<pid>/stat) over %.0f s, no run, %s", seconds,
                when);
        Figure whole = Figure.of(NAME, "idle CPU " + when + ", whole stack", stackTotal, "% of a core", note
                + ": " + String.join(", ", all.keySet()));
        figures.add(targeted ? whole.withTarget(Target.below(5, "%")) : whole);
        figures.add(Figure.of(NAME, "idle CPU " + when + ", the services and model-server", servicesTotal,
                "% of a core", note));
        percent.forEach((name, value) -> figures.add(Figure.of(NAME, "  idle CPU " + when + " " + name, value,
                "% of a core", note)));
        context.say("idle CPU %s (%% of a core): %.1f in all; %s", when, stackTotal, describe(percent, "%.2f"));
        return figures;
    }

    /** The pids {@code ./mlops up} recorded for these names (with their descendants when asked), in that order. */
    private static Map<String, List<Long>> processes(Path state, Iterable<String> names, boolean withDescendants) {
        Map<String, List<Long>> processes = new LinkedHashMap<>();
        for (String name : names) {
            recordedPid(state.resolve("pids").resolve(name + ".pid")).ifPresent(pid ->
                    processes.put(name, withDescendants ? ProcStats.tree(pid) : List.of(pid)));
        }
        return processes;
    }

    /** Every other pid file: Kafka, S3, PostgreSQL, and the registry and podman when they run. */
    private static List<String> infraNames(Path state, Set<String> services) throws IOException {
        try (Stream<Path> files = Files.list(state.resolve("pids"))) {
            return files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".pid"))
                    .map(f -> f.substring(0, f.length() - ".pid".length())).filter(n -> !services.contains(n))
                    .sorted().toList();
        }
    }

    private static Optional<Long> recordedPid(Path pidFile) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(pidFile)) {
            p.load(in);
            return Optional.of(Long.parseLong(p.getProperty("pid").trim()));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The model-server deploy-svc started, from its record of the served model (deploy-state/current.json). */
    private static Optional<Long> modelServer(Path state) {
        Path served = state.resolve("deploy-state").resolve("current.json");
        try {
            var pid = Json.mapper().readTree(served.toFile()).path("pid");
            return pid.canConvertToLong() ? Optional.of(pid.asLong()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static String describe(Map<String, Double> values, String format) {
        List<String> parts = new ArrayList<>();
        values.forEach((name, value) -> parts.add(name + " " + String.format(Locale.ROOT, format, value)));
        return String.join(", ", parts);
    }

    /** Polls every service's {@code /q/health/ready} while {@code up} runs, noting when each first answers 200. */
    private static final class ReadinessWatch {

        private final Map<String, Integer> ports;
        private final Map<String, Double> ready = new ConcurrentHashMap<>();
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private Thread poller;

        ReadinessWatch(Map<String, Integer> ports) {
            this.ports = ports;
        }

        void start(long beginNanos) {
            poller = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted() && ready.size() < ports.size()) {
                    ports.forEach((service, port) -> {
                        if (!ready.containsKey(service)
                                && Http200.answers(http, URI.create("http://127.0.0.1:" + port + "/q/health/ready"))) {
                            ready.put(service, (System.nanoTime() - beginNanos) / 1e9);
                        }
                    });
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "readiness-watch");
            poller.setDaemon(true);
            poller.start();
        }

        /** Each service's seconds to ready, in start order; waits briefly for the last poll. */
        Map<String, Double> stop() throws InterruptedException {
            poller.join(3000);
            poller.interrupt();
            Map<String, Double> ordered = new LinkedHashMap<>();
            ports.keySet().forEach(service -> {
                if (ready.containsKey(service)) {
                    ordered.put(service, ready.get(service));
                }
            });
            return ordered;
        }
    }
}
