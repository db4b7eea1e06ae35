package dev.mlops.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Application class-data sharing for a service JVM: the first start of a jar records the classes it loaded into a
 * dynamic archive when the JVM exits ({@code -XX:ArchiveClassesAtExit}, at {@code ./mlops down}); every later start
 * maps them from the archive instead of loading, verifying and linking them again ({@code -XX:SharedArchiveFile}).
 * The archive is named after the jar's size and modification time, so a rebuilt jar gets a new one. Archives live in
 * the state folder, where one instance of each service runs at a time, so no two JVMs write the same archive.
 */
final class ClassDataArchive {

    private final Path folder;

    ClassDataArchive(Path folder) {
        this.folder = folder;
    }

    /** The option that maps the archive of this jar when there is one, else the option that writes it at exit. */
    List<String> options(String name, Path jar) {
        Path archive = archive(name, jar);
        if (isWritten(archive)) {
            return List.of("-XX:SharedArchiveFile=" + archive);
        }
        deleteOtherArchives(name);
        // the dump names every class it leaves out (one loaded but never linked): hundreds of lines in the log
        return List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off");
    }

    Path archive(String name, Path jar) {
        try {
            long version = Files.size(jar) * 31 + Files.getLastModifiedTime(jar).toMillis();
            return folder.resolve(name + "-" + Long.toHexString(version) + ".jsa");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + jar, e);
        }
    }

    private static boolean isWritten(Path archive) {
        try {
            return Files.isRegularFile(archive) && Files.size(archive) > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Archives of an earlier build of the jar (or a half-written one) are of no use any more. */
    private void deleteOtherArchives(String name) {
        try {
            Files.createDirectories(folder);
            try (Stream<Path> files = Files.list(folder)) {
                for (Path old : files.filter(f -> f.getFileName().toString().startsWith(name + "-")
                        && f.getFileName().toString().endsWith(".jsa")).toList()) {
                    Files.deleteIfExists(old);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the class-data archives in " + folder, e);
        }
    }
}
