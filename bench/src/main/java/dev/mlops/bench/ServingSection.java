package dev.mlops.bench;

import dev.mlops.testing.SklearnScript;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * POST /invocations of the model the platform serves (deployed by a run of the published best parameters, reached
 * through deploy-svc's serving URL as a user does) next to the reference scoring server ({@code sklearn_serve.py},
 * one uvicorn worker like {@code mlflow models serve}) serving scikit-learn's best model of the same grid: the same
 * wrk, script, bodies and connections, one server at a time.
 */
final class ServingSection implements Section {

    static final String NAME = "serving";
    static final int WARM_UP_SECONDS = 5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        if (!Wrk.installed()) {
            throw new IllegalStateException(Wrk.BINARY + " is not installed (apt-get install wrk)");
        }
        Path dir = context.workDir().resolve("serving");
        ServingBodies bodies = ServingBodies.publishedTestSplit(context.titanicCsv());
        Path single = bodies.write(dir.resolve("bodies-single.jsonl"), 1);
        Path batch = bodies.write(dir.resolve("bodies-batch100.jsonl"), 100);

        context.say("deploying the published best model (200 trees, max_depth 10)...");
        PipelineRuns.Finished served = context.runs().runToSuccess(Specs.PUBLISHED_BEST_SERVED);
        URI ours = URI.create(served.run().path("servingUrl").asText());
        Wrk wrk = new Wrk(context.options().reference());
        Measured platform = measure(context, wrk, ours, single, batch, "model-server");
        Optional<ServingBackend.Direct> backend = ServingBackend.of(ours, served.runId());
        Optional<Wrk.Load> direct = Optional.empty();
        if (backend.isPresent() && backend.get().isServingUrl()) {
            context.say("the serving URL is the model-server's own port (no proxy): direct = the serving URL");
            direct = Optional.of(platform.single());
        } else if (backend.isPresent()) {
            Wrk.Load load = wrk.run(backend.get().invocations(), single, context.options().servingSeconds(),
                    context.options().connections());
            context.say("model-server without deploy-svc's front (%s): 1 record %.0f req/s p50 %.2f p99 %.2f ms",
                    backend.get().invocations(), load.requestsPerSecond(), load.p50Ms(), load.p99Ms());
            direct = Optional.of(load);
        }

        Measured reference = null;
        if (SklearnScript.pythonHasSklearn()) {
            SklearnReference.Result sklearn = context.sklearn().get(context.titanicCsv());
            try (ReferenceServer server = ReferenceServer.start(context.options().reference(), sklearn.model(), 1,
                    dir.resolve("sklearn_serve.log"))) {
                reference = measure(context, wrk, server.invocations(), single, batch, "sklearn_serve.py");
            }
        } else {
            context.say("no reference server: /usr/bin/python3 lacks scikit-learn (and FastAPI, uvicorn)");
        }
        List<Figure> figures = figures(context, platform, reference);
        boolean noProxy = backend.map(ServingBackend.Direct::isServingUrl).orElse(false);
        direct.ifPresent(load -> {
            String label = noProxy ? "direct (= the serving URL, no proxy)" : "model-server direct";
            String how = noProxy ? "the model-server listens on the serving URL's port itself: the figures above"
                    : "the same wrk run straight at the run's model-server, bypassing deploy-svc's front";
            figures.add(Figure.of(NAME, "1-record requests/s, " + label, load.requestsPerSecond(), "req/s", how));
            figures.add(Figure.of(NAME, "1-record p99, " + label, load.p99Ms(), "ms", how));
            figures.add(Figure.of(NAME, "serving URL throughput / direct", 100 * platform.single().requestsPerSecond()
                    / load.requestsPerSecond(), "%", how).withTarget(Target.atLeast(90, "%")));
        });
        return figures;
    }

    record Measured(Wrk.Load single, Wrk.Load batch, Wrk.Load oneConnection) {
    }

    private Measured measure(BenchContext context, Wrk wrk, URI url, Path single, Path batch, String who)
            throws Exception {
        check(url, single);
        int seconds = context.options().servingSeconds();
        int connections = context.options().connections();
        context.say("%s at %s: warm-up %d s per body kind, then wrk -c%d -d%ds", who, url, WARM_UP_SECONDS,
                connections, seconds);
        wrk.run(url, single, WARM_UP_SECONDS, connections);
        wrk.run(url, batch, WARM_UP_SECONDS, connections);
        Measured measured = new Measured(wrk.run(url, single, seconds, connections), wrk.run(url, batch, seconds,
                connections), wrk.run(url, single, seconds, 1));
        context.say("%s: 1 record %.0f req/s p50 %.2f p99 %.2f ms; 100 records %.0f req/s p99 %.2f ms;"
                        + " 1 connection p99 %.2f ms", who, measured.single().requestsPerSecond(), measured.single().p50Ms(),
                measured.single().p99Ms(), measured.batch().requestsPerSecond(), measured.batch().p99Ms(),
                measured.oneConnection().p99Ms());
        for (Wrk.Load load : List.of(measured.single(), measured.batch(), measured.oneConnection())) {
            if (load.errors() > 0) {
                context.say("WARNING: %s answered %d errors of %d requests", who, load.errors(), load.requests());
            }
        }
        return measured;
    }

    private static void check(URI url, Path bodies) throws Exception {
        String body = Files.readAllLines(bodies).get(0);
        // HTTP/1.1: uvicorn refuses the JDK client's default h2c upgrade
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200 || !response.body().contains("predictions")) {
            throw new IllegalStateException(url + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    private static List<Figure> figures(BenchContext context, Measured ours, Measured reference) {
        String how = String.format(Locale.ROOT, "wrk -t2 -c%d -d%ds, wrk_post.lua, {\"instances\": [...]} of test-split"
                + " rows", context.options().connections(), context.options().servingSeconds());
        List<Figure> figures = new ArrayList<>();
        Figure rps = Figure.of(NAME, "1-record requests/s", ours.single().requestsPerSecond(), "req/s", how);
        Figure p99 = Figure.of(NAME, "1-record p99", ours.single().p99Ms(), "ms", how)
                .withTarget(Target.below(5, "ms"));
        Figure p50 = Figure.of(NAME, "1-record p50", ours.single().p50Ms(), "ms", how);
        Figure batchRps = Figure.of(NAME, "100-record requests/s", ours.batch().requestsPerSecond(), "req/s", how);
        Figure batchP99 = Figure.of(NAME, "100-record p99", ours.batch().p99Ms(), "ms", how);
        Figure oneP99 = Figure.of(NAME, "1-record p99, one connection", ours.oneConnection().p99Ms(), "ms",
                "wrk -t1 -c1: one request at a time, no queueing");
        if (reference != null) {
            rps = rps.againstRate(reference.single().requestsPerSecond()).withRatioTarget(Target.atLeast(10, "x"));
            p99 = p99.againstTime(reference.single().p99Ms());
            p50 = p50.againstTime(reference.single().p50Ms());
            batchRps = batchRps.againstRate(reference.batch().requestsPerSecond());
            batchP99 = batchP99.againstTime(reference.batch().p99Ms());
            oneP99 = oneP99.againstTime(reference.oneConnection().p99Ms());
        }
        figures.add(rps);
        figures.add(p50);
        figures.add(p99);
        figures.add(batchRps);
        figures.add(Figure.of(NAME, "100-record rows/s", ours.batch().requestsPerSecond() * 100, "rows/s", how));
        figures.add(batchP99);
        figures.add(oneP99);
        return figures;
    }
}
