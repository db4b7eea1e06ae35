package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.tracking.TrackingClient;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Starts pipeline runs through tracking-svc's API and follows them to their end, as a client would. */
final class PipelineRuns {

    /** Polling GET /pipelines/{id} this often bounds the error of the client-side wall time. */
    static final Duration POLL = Duration.ofMillis(50);
    static final Duration TIMEOUT = Duration.ofMinutes(10);

    /** A finished run: what GET /pipelines/{id} answered last, and the client's wall time POST -> end. */
    record Finished(String runId, JsonNode run, double wallSeconds) {

        String status() {
            return run.path("status").asText();
        }

        boolean succeeded() {
            return status().equals("SUCCEEDED");
        }

        /** Stage id to its duration in seconds (startedAt -> finishedAt as tracking recorded them). */
        Map<String, Double> stageSeconds() {
            Map<String, Double> seconds = new LinkedHashMap<>();
            for (JsonNode stage : run.path("stages")) {
                if (stage.path("status").asText().equals("COMPLETED")) {
                    seconds.put(stage.path("stage").asText(), between(stage, "startedAt", "finishedAt"));
                }
            }
            return seconds;
        }

        double metric(String name) {
            return run.path("metrics").path(name).asDouble(Double.NaN);
        }

        String describeFailure() {
            for (JsonNode stage : run.path("stages")) {
                if (stage.path("status").asText().equals("FAILED")) {
                    return stage.path("stage").asText() + ": " + stage.path("error").asText();
                }
            }
            return run.path("error").asText(status());
        }
    }

    private final TrackingClient tracking;
    private final List<Finished> finished = new ArrayList<>();

    PipelineRuns(TrackingClient tracking) {
        this.tracking = tracking;
    }

    TrackingClient tracking() {
        return tracking;
    }

    /** Runs the spec to its end; fails with the stage's error if it did not succeed. */
    Finished runToSuccess(String spec) {
        Finished run = run(spec);
        if (!run.succeeded()) {
            throw new IllegalStateException("run " + run.runId() + " ended " + run.status() + " (" + run.describeFailure()
                    + "); spec " + spec);
        }
        return run;
    }

    Finished run(String spec) {
        return run(spec, TIMEOUT);
    }

    /** Runs the spec to its end, however it ends; fails when it still runs after {@code timeout}. */
    Finished run(String spec, Duration timeout) {
        long start = System.nanoTime();
        String runId = tracking.startPipeline(spec);
        long deadline = start + timeout.toNanos();
        JsonNode run = tracking.run(runId);
        while (run.path("status").asText().equals("RUNNING")) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("run " + runId + " still RUNNING after " + timeout.toMinutes() + " min");
            }
            sleep(POLL);
            run = tracking.run(runId);
        }
        Finished result = new Finished(runId, run, (System.nanoTime() - start) / 1e9);
        finished.add(result);
        return result;
    }

    /** Every run this benchmark finished so far, oldest first. */
    List<Finished> finished() {
        return List.copyOf(finished);
    }

    static double between(JsonNode node, String from, String to) {
        if (!node.hasNonNull(from) || !node.hasNonNull(to)) {
            return Double.NaN;
        }
        Duration d = Duration.between(Instant.parse(node.get(from).asText()), Instant.parse(node.get(to).asText()));
        return d.toNanos() / 1e9;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
