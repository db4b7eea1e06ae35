package dev.mlops.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Folder trees on disk, the project's one copy: image-svc, the cli (and through it the e2e tests and the
 * benchmark) and infra/k8s's tests all depend on this module.
 */
public final class Folders {

    private Folders() {
    }

    /** Deletes a folder and everything in it, without following symlinks; nothing to do when it does not exist. */
    public static void deleteRecursively(Path folder) throws IOException {
        if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The bytes of the regular files below {@code folder} (symlinks not followed). */
    public static long size(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            long total = 0;
            for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).toList()) {
                total += Files.size(path);
            }
            return total;
        }
    }
}
