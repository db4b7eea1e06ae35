package dev.mlops.image;

import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The stand-in for the model-server base image: one layer with a marker file and an entrypoint. */
final class TestImages {

    static final String MARKER_PATH = "/opt/model-server/MARKER";
    static final String MARKER = "model-server base image for the image-svc tests\n";
    static final String ENTRYPOINT = "/opt/model-server/bin/serve";

    private TestImages() {
    }

    static JibContainerBuilder baseImage() {
        try {
            Path marker = Files.createTempFile("marker", ".txt");
            Files.writeString(marker, MARKER);
            return Jib.fromScratch()
                    .addFileEntriesLayer(FileEntriesLayer.builder().setName("server")
                            .addEntry(marker, AbsoluteUnixPath.get(MARKER_PATH)).build())
                    .setEntrypoint(ENTRYPOINT)
                    .addEnvironmentVariable("QUARKUS_HTTP_PORT", "8080")
                    .addLabel("test-base", "true");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
