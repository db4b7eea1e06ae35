package dev.mlops.images;

import dev.mlops.stack.launch.Ports;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which Java base the platform images start from: MLOPS_JRE_BASE when set, else the Debian-built bases; image-svc's
 * MLOPS_IMAGE_BASE (the model-server image it puts a model layer on) is not taken for it.
 */
class JreBaseChoiceTest {

    @TempDir
    Path cache;
    @TempDir
    Path root;
    private final List<String> progress = new ArrayList<>();

    /** A repository as far as the base choice needs one: a version and a packaged model-server (no tests' build order). */
    @BeforeEach
    void standInRepository() throws IOException {
        Files.writeString(root.resolve("pom.xml"), "<project><version>1.2.3</version></project>");
        Path app = Files.createDirectories(root.resolve("model-server/target/quarkus-app"));
        Files.writeString(app.resolve("quarkus-run.jar"), "stand-in");
        Path resources = Files.createDirectories(root.resolve("model-server/src/main/resources"));
        Files.writeString(resources.resolve("application.properties"), "quarkus.http.port=8090\n");
    }

    @Test
    void mlopsJreBaseIsTheBaseOfTheImages() {
        Path missing = cache.resolve("no-such-base.tar");
        // input tried: MLOPS_JRE_BASE naming a base tarball that does not exist
        PlatformImages images = new PlatformImages(root, cache, progress::add,
                Map.of(PlatformImages.BASE_ENV, "tar:" + missing));

        assertThatThrownBy(() -> images.servingBase(Optional.empty())).isInstanceOf(ImageBuildException.class)
                .hasMessageContaining(missing.toString());
        assertThat(progress).contains("base: tar:" + missing + " (MLOPS_JRE_BASE)");
    }

    @Test
    void imageSvcsServingBaseVariableIsNotTakenForTheJavaBase() throws IOException {
        String closed = "http://127.0.0.1:" + Ports.free();
        // input tried: MLOPS_IMAGE_BASE set (as ./mlops up sets it for image-svc), no MLOPS_JRE_BASE, no mirror reachable
        PlatformImages images = new PlatformImages(root, cache, progress::add, Map.of(
                "MLOPS_IMAGE_BASE", "127.0.0.1:5000/mlops/model-server:1",
                DebianArchive.MIRROR_ENV, closed + "/debian", DebianArchive.SECURITY_MIRROR_ENV, closed + "/debian-security"));

        // so the base is assembled from Debian, and the error says how to choose a base instead
        assertThatThrownBy(() -> images.servingBase(Optional.empty())).isInstanceOf(MirrorUnreachableException.class)
                .hasMessageContaining("could not reach " + closed)
                .hasMessageContaining("or set MLOPS_JRE_BASE to a Java 17 image in a registry");
        assertThat(progress).noneMatch(line -> line.contains("MLOPS_IMAGE_BASE") || line.contains("model-server:1"));
    }

    @Test
    void anUnknownModuleIsRefusedNamingTheImages() {
        // input tried: a module name that is no platform image
        assertThatThrownBy(() -> new PlatformImages(root, cache, progress::add, Map.of())
                .image("kafka", Optional.empty(), cache))
                .isInstanceOf(ImageBuildException.class)
                .hasMessageContaining("no platform image is called kafka")
                .hasMessageContaining("tracking-svc").hasMessageContaining("model-server");
    }
}
