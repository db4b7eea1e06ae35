package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.event.Stage;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Event hop latency over many tiny runs: from a stage's input record (the previous stage's completed event, or the
 * pipeline request) to the stage's STARTED record, by the Kafka records' CreateTime timestamps (set by the producing
 * services' clients on this one machine, so one clock). Tracking's timestamps (the events' occurredAt) give a
 * cross-check that leaves out the producer's send path.
 */
final class EventHopSection implements Section {

    static final String NAME = "hops";
    static final List<Stage> STAGES = List.of(Stage.INGEST, Stage.PREPROCESS, Stage.TRAIN, Stage.EVALUATE);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws IOException {
        int n = context.options().hopRuns();
        Set<String> runIds = new LinkedHashSet<>();
        List<Double> trackingHops = new ArrayList<>();
        Map<String, List<StageEvents.Event>> events;
        // not counted: a freshly started service's first record takes seconds (class loading, JIT), once
        context.runs().runToSuccess(Specs.TINY);
        try (StageEvents kafka = StageEvents.fromNow(context.stack().kafkaBootstrap())) {
            for (int i = 0; i < n; i++) {
                PipelineRuns.Finished run = context.runs().runToSuccess(Specs.TINY);
                runIds.add(run.runId());
                trackingHops.addAll(trackingHops(run.run()));
            }
            events = kafka.read(runIds, e -> EventHops.complete(e, STAGES), Duration.ofSeconds(60));
        }
        Map<String, List<Double>> hops = EventHops.of(events, STAGES);
        Path raw = context.workDir().resolve("hops.json");
        Files.createDirectories(raw.getParent());
        Files.writeString(raw, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                Map.of("hopsMs", hops, "eventsByRun", events)));
        List<Double> all = hops.values().stream().flatMap(List::stream).toList();
        if (all.isEmpty()) {
            throw new IllegalStateException("no event records of the " + n + " runs were read from Kafka at "
                    + context.stack().kafkaBootstrap());
        }
        Percentiles p = Percentiles.of(all);
        context.say("%d hops of %d runs: p50 %.0f ms, p99 %.0f ms, max %.0f ms", all.size(), n, p.median(), p.at(99),
                p.max());
        List<Figure> figures = new ArrayList<>();
        String how = String.format(Locale.ROOT, "%d hops of %d tiny runs (10 trees, cv 2, deploy none), one run at a"
                + " time after one uncounted; Kafka record timestamps (ms resolution); every sample in %s", all.size(), n,
                context.home().relativize(raw));
        figures.add(Figure.of(NAME, "event hop p50", p.median(), "ms", how).withTarget(Target.below(10, "ms")));
        figures.add(Figure.of(NAME, "event hop p99", p.at(99), "ms", how + String.format(Locale.ROOT, "; max %.0f ms",
                p.max())).withTarget(Target.below(50, "ms")));
        hops.forEach((hop, values) -> {
            if (!values.isEmpty()) {
                Percentiles each = Percentiles.of(values);
                figures.add(Figure.of(NAME, hop + " p50", each.median(), "ms",
                        String.format(Locale.ROOT, "p99 %.0f ms over %d runs", each.at(99), values.size())));
            }
        });
        for (Integer linger : new Integer[]{0, null}) {
            Percentiles floor = Percentiles.of(KafkaFloor.sendToReceiveMs(context.stack().kafkaBootstrap(), 200, linger));
            figures.add(Figure.of(NAME, "Kafka floor: bare send -> receive p50, linger.ms " + (linger == null
                    ? "default (5)" : linger), floor.median(), "ms", String.format(Locale.ROOT, "200 records one at a"
                    + " time, bare clients on the same broker now (what a hop cannot beat); p99 %.1f ms", floor.at(99))));
        }
        if (!trackingHops.isEmpty()) {
            Percentiles t = Percentiles.of(trackingHops);
            figures.add(Figure.of(NAME, "event hop p50, tracking's timestamps", t.median(), "ms", String.format(
                    Locale.ROOT, "cross-check: previous stage finishedAt -> startedAt (the events' occurredAt, us"
                            + " resolution), p99 %.1f ms, %d hops", t.at(99), t.count())));
        }
        return figures;
    }

    /** finishedAt of a stage to startedAt of the next, as tracking recorded them, in ms. */
    private static List<Double> trackingHops(JsonNode run) {
        List<Double> hops = new ArrayList<>();
        String previousFinished = null;
        for (JsonNode stage : run.path("stages")) {
            if (!stage.path("status").asText().equals("COMPLETED")) {
                continue;
            }
            if (previousFinished != null) {
                hops.add(Duration.between(Instant.parse(previousFinished), Instant.parse(stage.path("startedAt").asText()))
                        .toNanos() / 1e6);
            }
            previousFinished = stage.path("finishedAt").asText();
        }
        return hops;
    }
}
