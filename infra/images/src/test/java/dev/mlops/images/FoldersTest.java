package dev.mlops.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class FoldersTest {

    @TempDir
    Path temp;

    @Test
    void deletesTheTreeButNotWhatASymlinkInItPointsTo() throws IOException {
        Path outside = Files.writeString(temp.resolve("keep.txt"), "kept");
        Path tree = Files.createDirectories(temp.resolve("tree/a/b"));
        Files.writeString(tree.resolve("file.txt"), "gone");
        Files.createSymbolicLink(temp.resolve("tree/a/link"), outside);
        Files.createSymbolicLink(temp.resolve("tree/dirlink"), temp);

        Folders.deleteRecursively(temp.resolve("tree"));

        assertThat(temp.resolve("tree")).doesNotExist();
        assertThat(outside).hasContent("kept");
    }

    @Test
    void sizeCountsTheFilesInTheTreeNotWhatItsSymlinksPointTo() throws IOException {
        Path outside = Files.write(temp.resolve("big.bin"), new byte[10_000]);
        Path tree = Files.createDirectories(temp.resolve("tree/a"));
        Files.write(tree.resolve("one.bin"), new byte[300]);
        Files.write(temp.resolve("tree/two.bin"), new byte[20]);
        Files.createSymbolicLink(tree.resolve("link.bin"), outside);

        assertThat(Folders.size(temp.resolve("tree"))).isEqualTo(320);
    }

    @Test
    void aMissingFolderIsNothingToDo() throws IOException {
        Folders.deleteRecursively(temp.resolve("never-made"));

        assertThat(temp).isEmptyDirectory();
    }
}
