package dev.mlops.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files for file: datasets: the shipped Titanic CSV, a file root the test config allows
 * (%test.mlops.ingest.file-roots) and, next to it, a valid dataset outside every root.
 */
final class TestDatasets {

    static final Path TITANIC = Path.of("../data/titanic.csv").toAbsolutePath().normalize();
    static final Path ROOT = Path.of("target/test-datasets/root").toAbsolutePath();
    static final Path OUTSIDE = ROOT.resolveSibling("outside.csv");

    private TestDatasets() {
    }

    /** Writes {@code content} as {@code name} under the allowed root. */
    static Path inRoot(String name, byte[] content) {
        try {
            Files.createDirectories(ROOT);
            return Files.write(ROOT.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A copy of the Titanic data outside the roots, so that reading it would succeed were it not refused. */
    static Path outsideTheRoots() {
        try {
            Files.createDirectories(ROOT);
            return Files.write(OUTSIDE, titanic());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] titanic() {
        try {
            return Files.readAllBytes(TITANIC);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
