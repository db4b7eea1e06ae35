package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.tracking.TrackingClient;
import dev.mlops.common.tracking.TrackingException;

import java.io.IOException;
import java.io.PrintStream;
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
    private final TrackingErrors errors;

    RunCommand(LocalStack stack, PrintStream out, boolean terminal) {
        this.stack = stack;
        this.out = out;
        this.terminal = terminal;
        this.tracking = TrackingErrors.client(stack);
        this.errors = new TrackingErrors(stack, tracking.baseUrl());
    }

    /**
     * Starts a run from a spec file ({@code {}}, the default pipeline, without one) and follows it to its end; with
     * {@code dataset}, a CSV file on this machine, uploads it first and runs on it (the spec's dataset.uri).
     */
    int run(Optional<String> specFile, Optional<String> dataset, Duration timeout) {
        String spec = specFile.map(RunCommand::readSpec).orElse("{}");
        if (dataset.isPresent()) {
            spec = onDataset(spec, upload(Path.of(dataset.get())));
        }
        return startAndFollow(spec, timeout);
    }

    private String upload(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new CliException("no dataset file " + file);
        }
        try {
            JsonNode uploaded = tracking.uploadDataset(file);
            out.println("uploaded " + file + " (" + uploaded.path("bytes").asLong() + " bytes, columns "
                    + String.join(", ", Json.mapper().convertValue(uploaded.path("columns"), String[].class)) + ") as "
                    + uploaded.path("uri").asText());
            return uploaded.path("uri").asText();
        } catch (java.io.FileNotFoundException e) {
            throw new CliException("could not read the dataset " + file + ": " + e.getMessage());
        } catch (TrackingException e) {
            throw errors.explain(e, null);
        }
    }

    /** The spec with {@code dataset.uri} set to {@code uri} (the rest as written). */
    static String onDataset(String spec, String uri) {
        ObjectNode root = specObject(spec);
        JsonNode dataset = root.path("dataset");
        ObjectNode datasetNode = dataset.isObject() ? (ObjectNode) dataset : root.putObject("dataset");
        datasetNode.put("uri", uri);
        return Json.write(root);
    }

    /** A spec as written, which must be a JSON object. */
    static ObjectNode specObject(String spec) {
        JsonNode tree;
        try {
            tree = Json.tree(spec);
        } catch (JsonInputException e) {
            throw new CliException("the pipeline spec is not JSON: " + e.getMessage());
        }
        if (!tree.isObject()) {
            throw new CliException("the pipeline spec must be a JSON object, like {\"model\": {...}}");
        }
        return (ObjectNode) tree;
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
            throw errors.explain(e, "no run " + runId + " is known to tracking-svc at " + tracking.baseUrl());
        }
        out.println("run " + runId + ": " + retried.path("from").asText() + " and the stages after it run again as attempt "
                + retried.path("attempt").asText() + "; following it (Ctrl-C stops following, not the run)");
        return followToTheEnd(runId, timeout);
    }

    /** {@code ./mlops stop RUN}: the run becomes KILLED and no later stage of it starts; the stage at work finishes. */
    int stop(String runId) {
        checkRunId(runId);
        JsonNode run;
        try {
            run = tracking.post("/pipelines/" + runId + "/stop", null, 200);
        } catch (TrackingException e) {
            throw errors.explain(e, "no run " + runId + " is known to tracking-svc at " + tracking.baseUrl());
        }
        out.println("run " + runId + " " + RunView.status(run) + " (" + run.path("error").asText() + "): no later stage"
                + " starts; a stage at work finishes first. ./mlops retry " + runId + " runs it again");
        return 0;
    }

    /**
     * {@code ./mlops promote MODEL VERSION}: deploys that version again (promote, or roll back) through the deploy
     * stage, as a retry of its run from deploy; follows the run to its end.
     */
    int promote(String model, String version, Duration timeout) {
        if (!version.matches("[0-9]{1,9}")) {
            throw new UsageException("VERSION is a version number, like 3 (got '" + version + "')", false);
        }
        JsonNode promoted;
        try {
            promoted = tracking.post("/models/" + URLEncoder.encode(model, StandardCharsets.UTF_8).replace("+", "%20")
                    + "/promote", "{\"version\": " + version + "}", 202);
        } catch (TrackingException e) {
            throw errors.explain(e, "no registered model '" + model + "' at " + tracking.baseUrl());
        }
        String runId = promoted.path("runId").asText();
        out.println(model + " version " + version + ": run " + runId + " deploys it again as attempt "
                + promoted.path("attempt").asText() + "; following it (Ctrl-C stops following, not the deploy)");
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
            throw errors.explain(e, "no run " + runId + " is known to tracking-svc at " + tracking.baseUrl());
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
            throw errors.explain(e, null);
        }
    }

    static String readSpec(String file) {
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
        return errors.whyNotServing(service.get());
    }
}
