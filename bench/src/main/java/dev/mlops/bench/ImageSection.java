package dev.mlops.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Seconds image-svc takes to build the serving image (the base plus a layer with the model bundle) and push it, as
 * its stage in tracking shows: from the runs this benchmark made that went through the image stage, else from
 * runs of the published best model made for it.
 */
final class ImageSection implements Section {

    static final String NAME = "image";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<Figure> measure(BenchContext context) {
        List<PipelineRuns.Finished> imaged = withImage(context.runs().finished());
        if (imaged.isEmpty()) {
            for (int i = 1; i <= context.options().runs(); i++) {
                context.say("run %d/%d of the published best model, deployed", i, context.options().runs());
                context.runs().runToSuccess(Specs.PUBLISHED_BEST_SERVED);
            }
            imaged = withImage(context.runs().finished());
        }
        List<Double> seconds = imaged.stream().map(r -> r.stageSeconds().get("image")).toList();
        PipelineRuns.Finished last = imaged.get(imaged.size() - 1);
        String ref = last.run().path("params").path("image_ref").asText("");
        String destination = ref.isEmpty() || ref.startsWith("tar") || !ref.contains("/")
                ? "written as a tarball artifact to S3 (image-svc has no mlops.image.registry)"
                : "pushed to " + ref.substring(0, ref.indexOf('/'));
        Percentiles p = Percentiles.of(seconds);
        context.say("image stage of %d runs: median %.2f s; last image %s", seconds.size(), p.median(), ref);
        List<Figure> figures = new ArrayList<>();
        figures.add(Figure.of(NAME, "serving image build + push (image stage, median)", p.median(), "s",
                String.format(Locale.ROOT, "%d runs (min %.2f, max %.2f s); %s; stage time includes reading the"
                        + " bundle from S3 and reporting to tracking", seconds.size(), p.min(), p.max(), destination)));
        return figures;
    }

    private static List<PipelineRuns.Finished> withImage(List<PipelineRuns.Finished> runs) {
        return runs.stream().filter(r -> r.stageSeconds().containsKey("image")).toList();
    }
}
