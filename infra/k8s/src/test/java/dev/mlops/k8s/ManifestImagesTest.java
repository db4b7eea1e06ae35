package dev.mlops.k8s;

import dev.mlops.k8s.ImageModules.Reference;
import io.fabric8.kubernetes.api.model.Container;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The manifests run exactly the images infra/images builds ({@code ./mlops images}): every {@code mlops/...} image
 * is one of {@code PlatformImages.SERVICES} with a tag it pushes, from the registry the kustomization pulls from,
 * and every image it builds is run by some workload.
 */
class ManifestImagesTest {

    /** The kustomization and the registry its images of ours come from (none: the bare name, for any overlay). */
    static Stream<Arguments> renders() {
        return Stream.of(Arguments.of(Kustomize.BASE, null), Arguments.of(Kustomize.KIND, "localhost:5001"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyImageOfOursIsOneInfraImagesBuildsUnderATagItPushes(String kustomization, String registry) {
        List<String> ours = imagesOfOurs(kustomization);
        assertThat(ours).as("%s: images of ours", kustomization).isNotEmpty();
        for (String image : ours) {
            Reference reference = ImageModules.parse(image).orElseThrow();
            assertThat(reference.name()).as("%s: %s names an image infra/images builds", kustomization, image)
                    .isIn(ImageModules.names());
            assertThat(reference.tag()).as("%s: %s has a tag infra/images pushes", kustomization, image)
                    .isIn(ImageModules.tags());
            assertThat(reference.digest()).as("%s: %s is pinned to a digest no build knows beforehand",
                    kustomization, image).isNull();
            assertThat(reference.registry()).as("%s: %s comes from the registry the images are pushed to",
                    kustomization, image).isEqualTo(registry);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("renders")
    void everyImageInfraImagesBuildsIsRunBySomeWorkload(String kustomization, String registry) {
        Set<String> run = new TreeSet<>();
        imagesOfOurs(kustomization).forEach(image -> run.add(ImageModules.parse(image).orElseThrow().name()));
        assertThat(run).as("%s: the images of ours its workloads run", kustomization)
                .containsExactlyInAnyOrderElementsOf(ImageModules.names());
    }

    /** The image of every container and init container whose reference is [registry/]mlops/... */
    private static List<String> imagesOfOurs(String kustomization) {
        return Kustomize.render(kustomization).workloads().stream()
                .flatMap(w -> w.containers().stream())
                .map(Container::getImage)
                .filter(image -> ImageModules.parse(image).isPresent())
                .toList();
    }
}
