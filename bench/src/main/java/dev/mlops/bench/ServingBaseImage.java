package dev.mlops.bench;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The serving base image pushed to the benchmark's registry: model-server's packaged application in Quarkus' Jib
 * layout (without a JRE layer: no base JRE image can be pulled offline; image-svc only reads the base's manifest and
 * config, so its size does not change what a run pushes).
 */
final class ServingBaseImage {

    static final String BASE_REPOSITORY = "mlops/model-server";

    private ServingBaseImage() {
    }

    /** Pushes the base image to the registry at {@code address} and returns its reference. */
    static String push(String address, Path modelServerApp, Path cache) throws Exception {
        String reference = address + "/" + BASE_REPOSITORY + ":bench";
        JibContainerBuilder image = Jib.fromScratch()
                .setEntrypoint("java", "-jar", "/deployments/quarkus-run.jar")
                .addEnvironmentVariable("QUARKUS_HTTP_PORT", "8080");
        AbsoluteUnixPath root = AbsoluteUnixPath.get("/deployments");
        for (String part : List.of("lib", "quarkus-run.jar", "app", "quarkus")) {
            Path source = modelServerApp.resolve(part);
            if (!Files.exists(source)) {
                continue;
            }
            FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(part);
            try (Stream<Path> files = Files.walk(source)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    layer.addEntry(file, root.resolve(modelServerApp.relativize(file).toString()));
                }
            }
            image.addFileEntriesLayer(layer.build());
        }
        image.containerize(Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(cache.resolve("base")).setApplicationLayersCache(cache.resolve("application")));
        return reference;
    }
}
