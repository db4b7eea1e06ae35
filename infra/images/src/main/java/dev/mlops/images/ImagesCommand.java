package dev.mlops.images;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./mlops images}: builds every service image and prints one line per image.
 * <pre>
 * ImagesCommand [--registry HOST:PORT] [--out FOLDER] [--cache FOLDER] [--root REPOSITORY]
 * </pre>
 * Without --registry the images are docker-load tarballs in FOLDER (default {@code <root>/target/images}); the cache
 * defaults to {@code ~/.cache/mlops}.
 */
public final class ImagesCommand {

    private ImagesCommand() {
    }

    public static void main(String[] args) {
        Optional<String> registry = Optional.empty();
        Path root = Path.of("").toAbsolutePath();
        Path out = null;
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "mlops");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--registry" -> registry = Optional.of(required(args[i], value));
                case "--out" -> out = Path.of(required(args[i], value));
                case "--cache" -> cache = Path.of(required(args[i], value));
                case "--root" -> root = Path.of(required(args[i], value));
                default -> {
                    System.err.println("unknown option " + args[i]
                            + "; usage: images [--registry HOST:PORT] [--out FOLDER] [--cache FOLDER] [--root REPOSITORY]");
                    System.exit(2);
                }
            }
            i++;
        }
        Path tarballs = out != null ? out : root.resolve("target/images");
        long start = System.nanoTime();
        try {
            Map<String, BuiltImage> images = new PlatformImages(root, cache, line -> System.out.println("  " + line))
                    .all(registry, tarballs);
            System.out.println();
            images.values().forEach(image -> System.out.println(image.describe()));
            System.out.printf(java.util.Locale.ROOT, "%d images in %.1f s%n", images.size(), (System.nanoTime() - start) / 1e9);
        } catch (ImageBuildException e) {
            System.err.println("images: " + e.getMessage());
            System.exit(1);
        }
    }

    private static String required(String option, String value) {
        if (value == null || value.isBlank()) {
            System.err.println(option + " needs a value");
            System.exit(2);
        }
        return value;
    }
}
