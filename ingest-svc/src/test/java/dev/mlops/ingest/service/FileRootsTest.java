package dev.mlops.ingest.service;

import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileRootsTest {

    @TempDir
    Path dir;

    @Test
    void withoutRootsEveryFileIsRefusedNamingTheSetting() throws IOException {
        Path file = Files.writeString(dir.resolve("data.csv"), "a\n1\n");
        assertThatThrownBy(() -> new FileRoots(List.of()).check(file.toUri()))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining(file.toUri().toString())
                .hasMessageContaining("no file roots are configured")
                .hasMessageContaining("MLOPS_INGEST_FILE_ROOTS");
    }

    @Test
    void aFileUnderARootIsReadFromItsRealPath() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path file = Files.writeString(root.resolve("data.csv"), "a\n1\n");
        assertThat(new FileRoots(List.of("", root.toString())).check(file.toUri())).isEqualTo(file.toRealPath());
    }

    @Test
    void aLinkToARootFromOutsideIsFollowed() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path file = Files.writeString(root.resolve("data.csv"), "a\n1\n");
        Path linkedRoot = Files.createSymbolicLink(dir.resolve("linked-root"), root);
        assertThat(new FileRoots(List.of(linkedRoot.toString())).check(file.toUri())).isEqualTo(file.toRealPath());
    }

    @Test
    void aDirectoryIsNotADataset() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path sub = Files.createDirectories(root.resolve("sub"));
        assertThatThrownBy(() -> new FileRoots(List.of(root.toString())).check(sub.toUri()))
                .isInstanceOf(StageFailure.class).hasMessageContaining("is not a regular file");
    }

    @Test
    void aMissingFileUnderARootIsNamed() {
        Path missing = dir.resolve("missing-root").resolve("x.csv");
        assertThatThrownBy(() -> new FileRoots(List.of(dir.resolve("missing-root").toString())).check(missing.toUri()))
                .isInstanceOf(StageFailure.class).hasMessageContaining(missing + " does not exist");
    }

    @Test
    void aHardLinkedFileIsRefusedEvenInsideARoot() throws IOException {
        // the second name of the file lies outside the root: what a link to /etc/passwd would look like
        Path root = Files.createDirectories(dir.resolve("root"));
        Path outside = Files.writeString(dir.resolve("secret.csv"), "a\n1\n");
        Path link = Files.createLink(root.resolve("data.csv"), outside);

        assertThatThrownBy(() -> new FileRoots(List.of(root.toString())).check(link.toUri()))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("dataset file " + link + " refused: it has 2 hard links");
        Files.delete(outside);
        assertThat(new FileRoots(List.of(root.toString())).check(link.toUri())).isEqualTo(link.toRealPath());
    }
}
