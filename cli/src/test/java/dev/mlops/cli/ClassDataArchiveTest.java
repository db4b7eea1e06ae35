package dev.mlops.cli;

import dev.mlops.stack.launch.StackLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The class-data archive of a real JVM: written at the first run's exit, mapped by the next, renewed for a new jar. */
class ClassDataArchiveTest {

    @TempDir
    Path dir;

    @Test
    void theFirstRunWritesTheArchiveAndTheNextLoadsTheJarsClassesFromIt() throws Exception {
        Path jar = probeJar(dir.resolve("app/quarkus-run.jar"));
        ClassDataArchive archives = new ClassDataArchive(dir.resolve("state/cds"));

        List<String> first = archives.options("probe-svc", jar);
        assertThat(first).first().asString().startsWith("-XX:ArchiveClassesAtExit=");
        assertThat(run(first, jar)).doesNotContain("source: shared objects file (top)");
        assertThat(archives.archive("probe-svc", jar)).isNotEmptyFile();

        List<String> next = archives.options("probe-svc", jar);
        assertThat(next).containsExactly("-XX:SharedArchiveFile=" + archives.archive("probe-svc", jar));
        assertThat(run(next, jar)).contains(CdsProbe.class.getName() + " source: shared objects file (top)");
    }

    @Test
    void aRebuiltJarGetsANewArchiveAndTheOldOneIsDeleted() throws Exception {
        Path jar = probeJar(dir.resolve("app/quarkus-run.jar"));
        ClassDataArchive archives = new ClassDataArchive(dir.resolve("state/cds"));
        Path old = archives.archive("probe-svc", jar);
        Files.createDirectories(old.getParent());
        Files.writeString(old, "an archive of the earlier build");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 60_000));

        List<String> options = archives.options("probe-svc", jar);

        assertThat(options).first().asString().startsWith("-XX:ArchiveClassesAtExit=")
                .doesNotContain(old.toString());
        assertThat(old).doesNotExist();
    }

    /** Runs the jar with these options and class-load logging; what it printed. */
    private String run(List<String> options, Path jar) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(StackLayout.java(), "-Xlog:class+load=info"));
        command.addAll(options);
        command.addAll(List.of("-jar", jar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains(CdsProbe.GREETING);
        return output;
    }

    /** A jar holding {@link CdsProbe} as its main class (CDS archives classes from jars, not from folders). */
    private static Path probeJar(Path jar) throws IOException {
        StandInService.writeJar(jar, CdsProbe.class);
        return jar;
    }
}
