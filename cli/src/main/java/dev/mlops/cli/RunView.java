package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** How a run, as {@code GET /pipelines/{runId}} answers it, is shown: stage lines, the stage table, the results. */
final class RunView {

    static final String RUNNING = "RUNNING";
    static final String SUCCEEDED = "SUCCEEDED";
    static final String PENDING = "PENDING";
    static final String COMPLETED = "COMPLETED";
    static final String FAILED = "FAILED";

    /** What a stage's progress counts, where that is known. */
    private static final Map<String, String> PROGRESS_UNITS = Map.of("train", "candidates");

    private RunView() {
    }

    static List<JsonNode> stages(JsonNode run) {
        List<JsonNode> stages = new ArrayList<>();
        run.path("stages").forEach(stages::add);
        return stages;
    }

    static String status(JsonNode node) {
        return node.path("status").asText("");
    }

    static String name(JsonNode stage) {
        return stage.path("stage").asText("?");
    }

    static int attempt(JsonNode stage) {
        return stage.path("attempt").asInt(0);
    }

    /** One stage transition: {@code train  COMPLETED  attempt 1  41 s}, with the error if it failed. */
    static String stageLine(JsonNode stage) {
        StringBuilder line = new StringBuilder(String.format("  %-11s %-9s  attempt %d", name(stage), status(stage),
                attempt(stage)));
        duration(stage).filter(d -> !RUNNING.equals(status(stage)))
                .ifPresent(d -> line.append("  ").append(Durations.format(d)));
        error(stage).ifPresent(e -> line.append("  error: ").append(e));
        return line.toString();
    }

    /** {@code train  RUNNING  42/108 candidates}, for a stage that reports its progress. */
    static Optional<String> progressLine(JsonNode stage) {
        return progress(stage).map(p -> String.format("  %-11s %-9s  %s", name(stage), status(stage), p));
    }

    static Optional<String> progress(JsonNode stage) {
        JsonNode progress = stage.path("progress");
        if (!progress.path("done").isNumber() || !progress.path("total").isNumber()) {
            return Optional.empty();
        }
        String unit = PROGRESS_UNITS.getOrDefault(name(stage), "done");
        return Optional.of(progress.get("done").asLong() + "/" + progress.get("total").asLong() + " " + unit);
    }

    static Optional<String> error(JsonNode stage) {
        JsonNode error = stage.path("error");
        return error.isTextual() && !error.asText().isBlank() ? Optional.of(error.asText()) : Optional.empty();
    }

    /** {@code durationMs}, else the time between {@code startedAt} and {@code finishedAt}. */
    static Optional<Duration> duration(JsonNode stage) {
        if (stage.path("durationMs").isNumber()) {
            return Optional.of(Duration.ofMillis(stage.get("durationMs").asLong()));
        }
        Optional<Instant> started = instant(stage.path("startedAt"));
        Optional<Instant> finished = instant(stage.path("finishedAt"));
        return started.isPresent() && finished.isPresent()
                ? Optional.of(Duration.between(started.get(), finished.get())) : Optional.empty();
    }

    /** The whole run, for {@code ./mlops status RUN}: the stage table, then the results. */
    static String report(JsonNode run, Instant now) {
        StringBuilder out = new StringBuilder();
        out.append("run ").append(run.path("runId").asText()).append(" (").append(run.path("name").asText("unnamed"))
                .append("): ").append(status(run)).append('\n');
        Table table = new Table("STAGE", "STATUS", "ATTEMPT", "DURATION", "DETAIL");
        for (JsonNode stage : stages(run)) {
            Optional<Duration> duration = duration(stage);
            if (duration.isEmpty() && RUNNING.equals(status(stage))) {
                duration = instant(stage.path("startedAt")).map(s -> Duration.between(s, now));
            }
            table.row(name(stage), status(stage), attempt(stage) == 0 ? null : attempt(stage),
                    duration.map(Durations::format).orElse(null),
                    error(stage).or(() -> RUNNING.equals(status(stage)) ? progress(stage) : Optional.empty()).orElse(""));
        }
        out.append(table);
        out.append(results(run));
        return out.toString();
    }

    /** The stage that failed and why, for a FAILED run. */
    static String failure(JsonNode run) {
        String runId = run.path("runId").asText();
        return stages(run).stream().filter(s -> FAILED.equals(status(s))).findFirst()
                .map(s -> "run " + runId + " FAILED at stage " + name(s) + " (attempt " + attempt(s) + "): "
                        + error(s).orElse("no error message"))
                .orElse("run " + runId + " " + status(run)
                        + run.path("error").asText("").transform(e -> e.isBlank() ? "" : ": " + e));
    }

    /**
     * The release decision (gate.mustBeatProduction), then metrics, artifacts, the image and the serving URL, each
     * shown only when the run has some.
     */
    static String results(JsonNode run) {
        StringBuilder out = new StringBuilder();
        release(run).ifPresent(line -> out.append(line).append('\n'));
        section(out, "metrics", run.path("metrics"));
        section(out, "artifacts", run.path("artifacts"));
        JsonNode image = run.path("params").path("image_ref");
        if (image.isTextual() && !image.asText().isBlank()) {
            out.append("image: ").append(image.asText()).append('\n');
            out.append(run.path("params").path("image_pushed").asBoolean(false)
                    ? "  run it: podman run --rm -p 127.0.0.1:8091:8090 --tls-verify=false " + image.asText() + "\n"
                    : "  run it: podman load -i <the run's image/image.tar artifact>, then podman run --rm -p"
                    + " 127.0.0.1:8091:8090 " + image.asText() + "\n");
        }
        JsonNode servingUrl = run.path("servingUrl");
        if (servingUrl.isTextual() && !servingUrl.asText().isBlank()) {
            out.append("serving URL: ").append(servingUrl.asText()).append('\n');
        }
        return out.toString();
    }

    /** Evaluate's release decision under gate.mustBeatProduction, when the run has one. */
    static Optional<String> release(JsonNode run) {
        JsonNode release = run.path("release");
        if (!release.path("message").isTextual()) {
            return Optional.empty();
        }
        String message = release.get("message").asText();
        return Optional.of("kept".equals(release.path("decision").asText())
                ? message + ": this run's model was not built or deployed" : message);
    }

    /** Where MLflow code finds the run: tracking-svc is an MLflow tracking server too. */
    static String inMlflow(URI trackingUrl, JsonNode run) {
        return "in MLflow: MLFLOW_TRACKING_URI=" + trackingUrl.toString().replaceAll("/+$", "")
                + " MLFLOW_TRACKING_TOKEN=$(./mlops token), experiment '" + run.path("name").asText() + "', run "
                + run.path("runId").asText();
    }

    /** The run's page in the web UI (tracking-svc serves it; sign in with ./mlops token). */
    static String inWebUi(URI trackingUrl, String runId) {
        return "in the web UI: " + webUi(trackingUrl.toString()) + "#/runs/" + runId;
    }

    /** The web UI's address: tracking-svc's root. */
    static String webUi(String trackingUrl) {
        return trackingUrl.replaceAll("/+$", "") + "/";
    }

    private static void section(StringBuilder out, String title, JsonNode values) {
        if (!values.isObject() || values.isEmpty()) {
            return;
        }
        Map<String, String> sorted = new TreeMap<>();
        values.fields().forEachRemaining(e -> sorted.put(e.getKey(), value(e.getValue())));
        int width = sorted.keySet().stream().mapToInt(String::length).max().orElse(0);
        out.append(title).append(":\n");
        sorted.forEach((k, v) -> out.append("  ").append(k).append(" ".repeat(width - k.length() + 2)).append(v)
                .append('\n'));
    }

    static String value(JsonNode value) {
        if (value.isIntegralNumber()) {
            return value.asText();
        }
        if (value.isNumber()) {
            double d = value.asDouble();
            // counts often travel as doubles (887.0): show them as the whole numbers they are
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? String.valueOf((long) d) : String.format("%.4f", d);
        }
        return value.isTextual() ? value.asText() : value.toString();
    }

    private static Optional<Instant> instant(JsonNode node) {
        if (!node.isTextual()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(node.asText()).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
