package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code ./mlops run [SPEC]} and {@code ./mlops status RUN}: pipeline runs through tracking-svc's REST API. */
final class RunCommand {

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9._-]+");

    private final LocalStack stack;
    private final PrintStream out;
    private final boolean terminal;
    private final TrackingClient tracking;

    RunCommand(LocalStack stack, PrintStream out, boolean terminal) {
        this.stack = stack;
        this.out = out;
        this.terminal = terminal;
        this.tracking = new TrackingClient(URI.create(stack.trackingUrl()), stack.apiToken());
    }

    /** Starts a run from a spec file ({@code {}}, the default pipeline, without one) and follows it to its end. */
    int run(Optional<String> specFile, Duration timeout) {
        String spec = specFile.map(RunCommand::readSpec).orElse("{}");
        return startAndFollow(spec, timeout);
    }

    int startAndFollow(String spec, Duration timeout) {
        String runId = start(spec);
        out.println("run " + runId + " started; following it (Ctrl-C stops following, not the run)");
        return followToTheEnd(runId, timeout);
    }

    /**
     * {@code ./mlops retry RUN [--from STAGE]}: tracking-svc re-publishes the stage's input event with the next attempt
     * (without a stage: the one that failed); then follows the run to its end.
     */
    int retry(String runId, Optional<String> fromStage, Duration timeout) {
        checkRunId(runId);
        String path = "/pipelines/" + runId + "/retry"
                + fromStage.map(stage -> "?from=" + URLEncoder.encode(stage, StandardCharsets.UTF_8)).orElse("");
        JsonNode retried;
        try {
            retried = tracking.post(path, null, 202);
        } catch (TrackingException e) {
            throw explain(e, "no run " + runId + " is known to tracking-svc at " + tracking.baseUrl());
        }
        out.println("run " + runId + ": " + retried.path("from").asText() + " and the stages after it run again as attempt "
                + retried.path("attempt").asText() + "; following it (Ctrl-C stops following, not the run)");
        return followToTheEnd(runId, timeout);
    }

    private int followToTheEnd(String runId, Duration timeout) {
        long begin = System.nanoTime();
        JsonNode run = followUntilEnd(runId, timeout);
        String took = Durations.format(Duration.ofNanos(System.nanoTime() - begin));
        if (RunView.SUCCEEDED.equals(RunView.status(run))) {
            out.println("run " + runId + " SUCCEEDED in " + took);
            out.print(RunView.results(run));
            ExamplePrediction.forServingUrl(run.path("servingUrl").asText("")).ifPresent(out::println);
            out.println(RunView.inMlflow(tracking.baseUrl(), run));
            out.println(RunView.inWebUi(tracking.baseUrl(), runId));
            return 0;
        }
        out.print(RunView.results(run));
        out.println(RunView.inWebUi(tracking.baseUrl(), runId));
        out.println(RunView.failure(run));
        return 1;
    }

    private JsonNode followUntilEnd(String runId, Duration timeout) {
        return Interruption.guard(
                () -> out.println("\nstopped following run " + runId + "; the run goes on: ./mlops status " + runId
                        + " shows it"),
                () -> new RunFollower(tracking::run, this::stallAdvice, out, terminal, RunFollower.Clock.SYSTEM)
                        .follow(runId, timeout));
    }

    /** {@code ./mlops status RUN}: the run's status, its stage table and results. */
    int status(String runId) {
        checkRunId(runId);
        try {
            out.print(RunView.report(tracking.run(runId), Instant.now()));
            return 0;
        } catch (TrackingException e) {
            throw explain(e, "no run " + runId + " is known to tracking-svc at " + tracking.baseUrl());
        }
    }

    private static void checkRunId(String runId) {
        if (!RUN_ID.matcher(runId).matches()) {
            throw new UsageException("'" + runId + "' is not a run id (letters, digits, '.', '_' and '-')");
        }
    }

    private String start(String spec) {
        try {
            return tracking.startPipeline(spec);
        } catch (TrackingException e) {
            throw explain(e, null);
        }
    }

    private CliException explain(TrackingException e, String notFound) {
        if (e.status() == 0) {
            return new CliException("tracking-svc does not answer at " + tracking.baseUrl() + ": "
                    + whyNotServing(ServiceModule.TRACKING));
        }
        if (e.status() == 401) {
            return new CliException("tracking-svc at " + tracking.baseUrl() + " refused the API token (HTTP 401): set"
                    + " MLOPS_API_TOKEN to the token it was started with (./mlops token prints the local stack's)");
        }
        if (e.status() == 404 && notFound != null) {
            return new CliException(notFound);
        }
        if (e.status() >= 400 && e.status() < 500) {
            return new CliException("tracking-svc refused the request (HTTP " + e.status() + "): "
                    + serverMessage(e.getMessage()));
        }
        return new CliException(e.getMessage());
    }

    /**
     * The server's own words: TrackingClient's message is {@code "<METHOD> <path> answered <status>: <body>"};
     * a JSON body's {@code message} (or {@code error}) field is what the server says.
     */
    static String serverMessage(String trackingMessage) {
        int colon = trackingMessage.indexOf(": ");
        String body = colon < 0 ? trackingMessage : trackingMessage.substring(colon + 2);
        try {
            JsonNode json = Json.tree(body);
            for (String field : new String[]{"message", "error", "detail", "title"}) {
                if (json.path(field).isTextual()) {
                    return json.get(field).asText();
                }
            }
        } catch (JsonInputException e) {
            // not JSON: the body itself is the message
        }
        return body.isBlank() ? "(no message)" : body;
    }

    private static String readSpec(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (NoSuchFileException e) {
            throw new CliException("no pipeline spec file " + file);
        } catch (IOException e) {
            throw new CliException("could not read the pipeline spec " + file + ": " + e.getMessage());
        }
    }

    /** What to tell the user when no service picks up {@code stage}. */
    private String stallAdvice(String stage) {
        Optional<ServiceModule> service = ServiceModule.forStage(stage);
        if (service.isEmpty()) {
            return "no service of this CLI handles stage '" + stage + "'";
        }
        Optional<PidRecord> running = stack.running(service.get().name());
        if (running.isPresent()) {
            return service.get().name() + " is running (pid " + running.get().pid() + ") but has not picked the run up:"
                    + " check " + running.get().log();
        }
        return whyNotServing(service.get());
    }

    /** Why a service that is needed does not answer, and what to do about it. */
    private String whyNotServing(ServiceModule service) {
        String name = service.name();
        Path home = stack.settings().home();
        Optional<PidRecord> running = stack.running(name);
        if (running.isPresent()) {
            return name + " runs (pid " + running.get().pid() + ") but does not answer: check " + running.get().log();
        }
        if (!service.isBuilt(home)) {
            return "no " + name + " running, and it is not built (" + service.runJar(home) + " is missing): build it"
                    + " (./mvnw -q -B package -DskipTests, or just ./mlops up, which builds what is missing), then ./mlops up";
        }
        return "no " + name + " running: start it with ./mlops up, or check " + stack.settings().state().log(name);
    }
}
