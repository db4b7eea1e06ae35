package dev.mlops.cli;

import dev.mlops.images.BuiltImage;
import dev.mlops.images.ImageBuildException;
import dev.mlops.images.PlatformImages;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The platform's images through infra/images' {@link PlatformImages}: the serving base image-svc builds the model's
 * image on (model-server on a Java runtime assembled from Debian's packages, cached in {@link CliSettings#cacheDir()}),
 * and every service image ({@code ./mlops images}, {@code up --containers}).
 */
final class ImageBuilds {

    private final CliSettings settings;
    private final PrintStream out;

    ImageBuilds(CliSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /**
     * What image-svc gets as MLOPS_IMAGE_BASE: the user's choice, else model-server's image built (or found in the
     * cache) and pushed to {@code registry} or written as a tarball. Empty when it could not be built: then this says
     * why and what to do, and image-svc starts without a base (its image stage fails naming the same remedies).
     */
    Optional<String> servingBase(Optional<String> registry) {
        Optional<String> chosen = settings.imageBase();
        if (chosen.isPresent()) {
            out.println("serving base image: " + chosen.get() + " (MLOPS_IMAGE_BASE)");
            return chosen;
        }
        Path cache = settings.cacheDir();
        out.println(Files.isDirectory(cache)
                ? "serving base image: model-server on the cached Java runtime (" + cache + ")..."
                : "assembling the serving base image from Debian packages (once, ~1 min; cached in " + cache + ")...");
        long start = System.nanoTime();
        try {
            String base = platformImages().servingBase(registry);
            out.println("  serving base ready: " + base + " (" + Durations.format(java.time.Duration.ofNanos(
                    System.nanoTime() - start)) + ")");
            return Optional.of(base);
        } catch (ImageBuildException | RuntimeException e) {
            out.println("  could not build the serving base image: " + e.getMessage());
            out.println("  image-svc has none, so the image stage will fail until there is one: run"
                    + " ./mlops images (it needs the Debian mirror once; MLOPS_DEBIAN_MIRROR names another), or set"
                    + " MLOPS_IMAGE_BASE to a model-server image (a registry reference or tar:/path/to/image.tar),"
                    + " then ./mlops down && ./mlops up");
            return Optional.empty();
        }
    }

    /**
     * Where {@link #servingBase} will put the base, known before it is built (the user's MLOPS_IMAGE_BASE, else
     * model-server's image in {@code registry} or the cache), so image-svc can start while it is built; empty when
     * that cannot be told (then image-svc waits for the build).
     */
    Optional<String> servingBaseLocation(Optional<String> registry) {
        Optional<String> chosen = settings.imageBase();
        if (chosen.isPresent()) {
            return chosen;
        }
        try {
            return Optional.of(platformImages().servingBaseLocation(registry));
        } catch (ImageBuildException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Builds every service image (and model-server), pushed to {@code registry} or written as tarballs in {@code folder}. */
    Map<String, BuiltImage> all(Optional<String> registry, Path folder) {
        out.println("building the platform's images (" + registry.map(r -> "pushed to " + r)
                .orElse("tarballs in " + folder) + "; the Java runtime is cached in " + settings.cacheDir() + ")...");
        try {
            return platformImages().all(registry, folder);
        } catch (ImageBuildException e) {
            throw new CliException("could not build the images: " + e.getMessage());
        }
    }

    /** One line per image: where it is, its size unpacked and compressed (in 10^6 bytes, as infra/images says), how long it took. */
    static String line(String module, BuiltImage image) {
        return String.format(Locale.ROOT, "  %-15s %s  %.1f MB (%.1f MB compressed)  %.1f s", module, image.reference(),
                image.uncompressedBytes() / 1e6, image.sizeBytes() / 1e6, image.seconds());
    }

    private PlatformImages platformImages() {
        return new PlatformImages(settings.home(), settings.cacheDir(), line -> out.println("  " + line));
    }
}
