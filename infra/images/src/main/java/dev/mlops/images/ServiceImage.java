package dev.mlops.images;

import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.buildplan.Port;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Quarkus service's image: the base plus the fast-jar layout at /app in three layers ordered by how often they
 * change, as Quarkus' own Jib extension lays them out: {@code dependencies} (lib/boot, lib/main), {@code quarkus}
 * (quarkus/, quarkus-run.jar) and {@code application} (app/). A code change re-pushes only the last ones.
 */
final class ServiceImage {

    static final String APP = "/app";
    static final List<String> JVM_OPTIONS = List.of("-XX:+ExitOnOutOfMemoryError", "-XX:MaxRAMPercentage=75");

    /** The base: where it is, and the java its entrypoint runs. */
    record Base(String location, String java) {

        JibContainerBuilder from() throws ImageBuildException {
            try {
                return location.startsWith("tar:") ? Jib.from(TarImage.at(Path.of(location.substring(4))))
                        : Jib.from(RegistryImage.named(location));
            } catch (InvalidImageReferenceException e) {
                throw JibRun.invalidReference(location, e);
            }
        }
    }

    private ServiceImage() {
    }

    static JibContainer build(ServiceModule module, String version, Base base, Destination destination, Path cacheDir)
            throws ImageBuildException {
        JibContainerBuilder builder = base.from();
        try {
            builder.addFileEntriesLayer(layer("dependencies", module.app(), "lib"))
                    .addFileEntriesLayer(layer("quarkus", module.app(), "quarkus", "quarkus-run.jar",
                            "quarkus-app-dependencies.txt"))
                    .addFileEntriesLayer(layer("application", module.app(), "app"));
        } catch (IOException e) {
            throw new ImageBuildException("could not read " + module.app() + ": " + e.getMessage(), e);
        }
        List<String> entrypoint = new ArrayList<>(List.of(base.java()));
        entrypoint.addAll(JVM_OPTIONS);
        entrypoint.addAll(List.of("-jar", APP + "/quarkus-run.jar"));
        builder.setEntrypoint(entrypoint)
                .setProgramArguments(List.of())
                .setWorkingDirectory(AbsoluteUnixPath.get(APP))
                .setUser(Integer.toString(OsLayer.APP_UID))
                .addExposedPort(Port.tcp(module.port()))
                .addLabel("org.opencontainers.image.title", module.name())
                .addLabel("org.opencontainers.image.version", version);
        try {
            return JibRun.containerize(builder, destination.containerizer(), cacheDir, destination.imageReference());
        } catch (InvalidImageReferenceException e) {
            throw JibRun.invalidReference(destination.imageReference(), e);
        }
    }

    /** The named files and folders of {@code app} (those that exist), every file below them, at /app. */
    private static FileEntriesLayer layer(String name, Path app, String... paths) throws IOException {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName(name);
        for (String path : paths) {
            Path top = app.resolve(path);
            if (!Files.exists(top)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(top)) {
                for (Path file : files.filter(Files::isRegularFile).sorted(Comparator.naturalOrder()).toList()) {
                    layer.addEntry(file, AbsoluteUnixPath.get(APP + "/" + app.relativize(file)));
                }
            }
        }
        return layer.build();
    }
}
