package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The directories file: datasets may come from. A path is checked twice: as written (normalized, so '..' cannot
 * climb out) and as the real file it leads to (symbolic links resolved), against the roots' real paths. A file
 * with more than one hard link is refused: its other names may lie outside every root (a link to /etc/passwd made
 * inside a root is the same file), and no path check can see them.
 */
class FileRoots {

    private static final String SETTING = "mlops.ingest.file-roots (env MLOPS_INGEST_FILE_ROOTS, comma-separated)";

    private final List<Path> roots;

    FileRoots(List<String> roots) {
        this.roots = roots.stream().filter(root -> !root.isBlank())
                .map(root -> Path.of(root.strip()).toAbsolutePath().normalize()).toList();
    }

    Path check(URI uri) {
        if (roots.isEmpty()) {
            throw new StageFailure("file: dataset " + uri + " refused: no file roots are configured; set " + SETTING
                    + " to the directories datasets may be read from");
        }
        Path requested = pathOf(uri).normalize();
        List<Path> realRoots = realRoots();
        if (!isUnder(requested, roots) && !isUnder(requested, realRoots)) {
            throw outside(uri, requested.toString());
        }
        Path real;
        try {
            real = requested.toRealPath();
        } catch (NoSuchFileException e) {
            throw new StageFailure("dataset file " + requested + " does not exist");
        } catch (IOException e) {
            throw new StageFailure("dataset file " + requested + " cannot be read: " + e);
        }
        if (!isUnder(real, realRoots)) {
            throw outside(uri, requested + " (a link to " + real + ")");
        }
        if (!Files.isRegularFile(real)) {
            throw new StageFailure("dataset file " + requested + " is not a regular file");
        }
        checkSingleLink(requested, real);
        return real;
    }

    private static Path pathOf(URI uri) {
        try {
            return Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new StageFailure("dataset URI " + uri + " is not a valid file: URI (use file:/absolute/path): "
                    + e.getMessage());
        }
    }

    private static void checkSingleLink(Path requested, Path real) {
        int links;
        try {
            links = ((Number) Files.getAttribute(real, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue();
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new StageFailure("dataset file " + requested + " refused: its file system does not tell how many"
                    + " hard links it has, so ingest cannot rule out a link to a file outside the allowed file roots");
        } catch (IOException e) {
            throw new StageFailure("dataset file " + requested + " cannot be read: " + e);
        }
        if (links > 1) {
            throw new StageFailure("dataset file " + requested + " refused: it has " + links + " hard links, and"
                    + " ingest reads only files with one (another name of the same file may be outside the allowed"
                    + " file roots); copy the file into a file root instead of linking it");
        }
    }

    private List<Path> realRoots() {
        List<Path> real = new ArrayList<>();
        for (Path root : roots) {
            realPath(root).ifPresent(real::add);
        }
        return real;
    }

    private static Optional<Path> realPath(Path root) {
        try {
            return Optional.of(root.toRealPath());
        } catch (IOException e) {
            return Optional.empty(); // a root that does not exist (yet) allows nothing
        }
    }

    private static boolean isUnder(Path path, List<Path> roots) {
        return roots.stream().anyMatch(path::startsWith);
    }

    private StageFailure outside(URI uri, String path) {
        return new StageFailure("dataset " + uri + " refused: " + path + " is outside the allowed file roots " + roots
                + " (" + SETTING + ")");
    }
}
