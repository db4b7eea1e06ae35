package dev.mlops.deploy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Run images as the image stage builds them: the serving base plus one layer with the run's model bundle at
 * /opt/model/model/..., MLOPS_MODEL_URI=file:/opt/model and the run's labels; pushed to the test registry or written
 * as a docker-load tarball.
 */
final class ModelImages {

    static final String MODEL_ROOT = "/opt/model";

    private ModelImages() {
    }

    /** Pushes the run's image; answers {@code <registry>/mlops/titanic-rf:<run tag>}. */
    static String push(String runId, TestRuns.TrainedModel model, String modelUri) throws Exception {
        String reference = ContainerDeployResource.registry.address() + "/" + name(runId);
        build(runId, model, modelUri, Containerizer.to(RegistryImage.named(reference)));
        return reference;
    }

    /** Writes the run's image as a docker-load tarball named {@code mlops/titanic-rf:<run tag>} (not pushed). */
    static byte[] tarball(String runId, TestRuns.TrainedModel model) throws Exception {
        Path tar = Files.createTempFile(Files.createDirectories(Path.of("target")), "image-", ".tar");
        try {
            build(runId, model, "file:" + MODEL_ROOT, Containerizer.to(TarImage.at(tar).named(name(runId))));
            return Files.readAllBytes(tar);
        } finally {
            Files.deleteIfExists(tar);
        }
    }

    static String name(String runId) {
        return "mlops/" + TestRuns.MODEL_NAME + ":" + runId.substring(0, 8);
    }

    private static void build(String runId, TestRuns.TrainedModel model, String modelUri, Containerizer to)
            throws Exception {
        Path bundle = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "bundle-");
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("model");
        for (Map.Entry<String, byte[]> file : model.bundle().toFiles().entrySet()) {
            Path local = bundle.resolve(file.getKey());
            Files.createDirectories(local.getParent());
            Files.write(local, file.getValue());
            layer.addEntry(local, AbsoluteUnixPath.get(MODEL_ROOT + "/" + file.getKey()));
        }
        JibContainerBuilder image = Jib.from(RegistryImage.named(ContainerDeployResource.servingBase))
                .addFileEntriesLayer(layer.build())
                .addEnvironmentVariable("MLOPS_MODEL_URI", modelUri)
                .addLabel("dev.mlops.run-id", runId);
        image.containerize(to.setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(ContainerDeployResource.IMAGE_CACHE.resolve("jib/base"))
                .setApplicationLayersCache(Path.of("target", "jib-application").toAbsolutePath()));
    }
}
