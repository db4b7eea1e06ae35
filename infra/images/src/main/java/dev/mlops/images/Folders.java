package dev.mlops.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

final class Folders {

    private Folders() {
    }

    /** Deletes a folder tree without following symlinks. */
    static void delete(Path folder) throws IOException {
        if (!Files.exists(folder, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    /** The bytes of the regular files below {@code folder} (symlinks not followed). */
    static long size(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            long total = 0;
            for (Path path : paths.filter(p -> Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)).toList()) {
                total += Files.size(path);
            }
            return total;
        }
    }
}
