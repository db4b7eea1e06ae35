package dev.mlops.images;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs the build JDK's own {@code jlink} on Debian's jmods. jlink links only modules of its own feature version, so the
 * build JDK must be a 17.
 */
final class Jlink {

    static final List<String> OPTIONS = List.of("--strip-debug", "--no-header-files", "--no-man-pages", "--compress=2");
    static final int FEATURE = 17;

    private Jlink() {
    }

    /** The build JDK's jlink, or an error saying what to do. */
    static Path tool() throws ImageBuildException {
        int feature = Runtime.version().feature();
        if (feature != FEATURE) {
            throw new ImageBuildException("jlink of Java " + feature + " cannot link Java " + FEATURE
                    + "'s modules: set JAVA_HOME to a JDK " + FEATURE + ", or use a registry base image such as "
                    + "eclipse-temurin:17-jre (" + PlatformImages.BASE_ENV + ")");
        }
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!Files.isExecutable(jlink)) {
            throw new ImageBuildException(jlink + " does not exist: the build runs on a Java 17 runtime without jlink; "
                    + "set JAVA_HOME to a JDK 17 (not a JRE), or use a registry base image such as eclipse-temurin:17-jre ("
                    + PlatformImages.BASE_ENV + ")");
        }
        return jlink;
    }

    /** Links {@code modules} from {@code jmods} into {@code output} (which must not exist yet). */
    static void link(Path jmods, List<String> modules, Path output, Path log) throws ImageBuildException {
        List<String> command = new ArrayList<>(List.of(tool().toString(), "--module-path", jmods.toString(),
                "--add-modules", String.join(",", modules)));
        command.addAll(OPTIONS);
        command.addAll(List.of("--output", output.toString()));
        try {
            Files.createDirectories(log.getParent());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            int exit = process.waitFor();
            if (exit != 0) {
                throw new ImageBuildException("jlink exited with " + exit + ": " + Files.readString(log).strip()
                        + " (command: " + String.join(" ", command) + ")");
            }
        } catch (IOException e) {
            throw new ImageBuildException("could not run jlink: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageBuildException("interrupted while jlink ran", e);
        }
    }
}
