package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The serving image: seconds image-svc takes to build it (model-server's image plus a layer with the model bundle)
 * and push it, its size in the registry, and how long the container takes from start to ready when deploy-svc runs it
 * ({@code deploy.target: container}). Runs of the published best model deployed as containers.
 */
final class ImageSection implements Section {

    static final String NAME = "image";
    /** What the published workflow's image weighs: MLflow's docs and users report about 1 GB (not measured here). */
    static final String MLFLOW_BUILD_DOCKER = "mlflow models build-docker images are about 1 GB (python, conda/virtualenv,"
            + " MLflow and scikit-learn; not measured here: it needs Docker and the internet)";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) throws Exception {
        List<PipelineRuns.Finished> runs = new ArrayList<>();
        for (int i = 1; i <= context.options().runs(); i++) {
            context.say("run %d/%d of the published best model, deployed as a container", i, context.options().runs());
            runs.add(context.runs().runToSuccess(Specs.PUBLISHED_BEST_CONTAINER));
        }
        List<Double> build = runs.stream().map(r -> r.stageSeconds().get("image")).toList();
        List<Double> ready = runs.stream().map(r -> r.metric("container_ready_seconds")).filter(v -> !v.isNaN()).toList();
        PipelineRuns.Finished last = runs.get(runs.size() - 1);
        String ref = last.run().path("params").path("image_ref").asText("");
        boolean pushed = last.run().path("params").path("image_pushed").asBoolean(false);

        List<Figure> figures = new ArrayList<>();
        Percentiles p = Percentiles.of(build);
        figures.add(Figure.of(NAME, "serving image build + push (image stage, median)", p.median(), "s",
                String.format(Locale.ROOT, "%d runs (min %.2f, max %.2f s); %s; stage time includes reading the"
                        + " bundle from S3 and reporting to tracking", build.size(), p.min(), p.max(),
                        pushed ? "pushed to " + ref.substring(0, ref.indexOf('/')) : "written as image/image.tar")));
        figures.add(Figure.of(NAME, "model layer a run pushes", last.metric("image_model_layer_bytes") / 1e6, "MB",
                "the only layer that differs between runs; the base layers are in the registry already"));
        if (pushed) {
            double megabytes = compressedBytes(ref) / 1e6;
            context.say("serving image %s: %.1f MB compressed", ref, megabytes);
            figures.add(Figure.of(NAME, "serving image size (compressed layers)", megabytes, "MB",
                    "what a pull transfers: a JRE 17 from Debian packages, model-server, the model; " + MLFLOW_BUILD_DOCKER)
                    .withTarget(Target.below(100, "MB")));
        }
        if (!ready.isEmpty()) {
            Percentiles r = Percentiles.of(ready);
            figures.add(Figure.of(NAME, "serving container start to ready (median)", r.median(), "s",
                    String.format(Locale.ROOT, "%d containers (min %.2f, max %.2f s): podman start to /ping 200, as"
                            + " deploy-svc measures it", ready.size(), r.min(), r.max()))
                    .withTarget(Target.below(2, "s")));
        }
        return figures;
    }

    /** Sum of the manifest's layer and config sizes, as the registry reports them. */
    private double compressedBytes(String reference) throws IOException, InterruptedException {
        int slash = reference.indexOf('/');
        int colon = reference.lastIndexOf(':');
        URI manifest = URI.create("http://" + reference.substring(0, slash) + "/v2/"
                + reference.substring(slash + 1, colon) + "/manifests/" + reference.substring(colon + 1));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(manifest)
                .header("Accept", "application/vnd.oci.image.manifest.v1+json,"
                        + "application/vnd.docker.distribution.manifest.v2+json").build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("the registry answered " + response.statusCode() + " for " + manifest);
        }
        JsonNode json = Json.tree(response.body());
        double bytes = json.path("config").path("size").asDouble();
        for (JsonNode layer : json.path("layers")) {
            bytes += layer.path("size").asDouble();
        }
        return bytes;
    }
}
