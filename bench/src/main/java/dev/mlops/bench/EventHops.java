package dev.mlops.bench;

import dev.mlops.common.event.Stage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Event hops of runs: for each stage a run goes through, the time from its input record (the previous stage's
 * completed event, or the pipeline request) to the stage's STARTED record. Pure computation on the timestamps.
 */
final class EventHops {

    private EventHops() {
    }

    /** Hop name ("ingest.completed -> preprocess") to the hops measured, in ms, over every run. */
    static Map<String, List<Double>> of(Map<String, List<StageEvents.Event>> byRun, List<Stage> stages) {
        Map<String, List<Double>> hops = new LinkedHashMap<>();
        for (Stage stage : stages) {
            hops.put(name(stage), new ArrayList<>());
        }
        for (List<StageEvents.Event> events : byRun.values()) {
            for (Stage stage : stages) {
                Optional<Long> input = first(events, e -> !e.started() && e.topic().equals(stage.inputTopic()));
                Optional<Long> started = first(events, e -> e.started() && stage.id().equals(e.stage()));
                if (input.isPresent() && started.isPresent()) {
                    hops.get(name(stage)).add((double) (started.get() - input.get()));
                }
            }
        }
        return hops;
    }

    /** Whether a run's events hold every hop of these stages. */
    static boolean complete(List<StageEvents.Event> events, List<Stage> stages) {
        return stages.stream().allMatch(stage ->
                first(events, e -> !e.started() && e.topic().equals(stage.inputTopic())).isPresent()
                        && first(events, e -> e.started() && stage.id().equals(e.stage())).isPresent());
    }

    static String name(Stage stage) {
        String from = stage.previous().map(Stage::id).map(id -> id + ".completed").orElse("pipeline.requested");
        return from + " -> " + stage.id() + " STARTED";
    }

    private static Optional<Long> first(List<StageEvents.Event> events, Predicate<StageEvents.Event> which) {
        return events.stream().filter(which).map(StageEvents.Event::timestampMs).findFirst();
    }
}
