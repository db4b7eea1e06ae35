package dev.mlops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** Sizes and deletion of the state folder's data; {@link #deleteRecursively} also serves the e2e tests and the benchmark. */
public final class Folders {

    private Folders() {
    }

    /** The bytes of the regular files below {@code dir} (symlinks not followed); 0 when it cannot be read. */
    static long size(Path dir) {
        try {
            return dev.mlops.images.Folders.size(dir);
        } catch (IOException e) {
            return 0;
        }
    }

    /** infra/images' {@link dev.mlops.images.Folders#deleteRecursively}, with an unchecked failure naming the folder. */
    public static void deleteRecursively(Path dir) {
        try {
            dev.mlops.images.Folders.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + dir, e);
        }
    }

    static String humanSize(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format("%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format("%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format("%.1f GB", bytes / (1024.0 * 1024 * 1024));
    }
}
