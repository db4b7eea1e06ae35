package dev.mlops.images;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Docker-load tarballs read back: layers in manifest order with digest and sizes; broken tarballs named. */
class ImageTarballTest {

    @TempDir
    Path folder;

    @Test
    void readsTheLayerWithTheDigestItsConfigRecords() throws IOException {
        Path tarball = folder.resolve("os.tar");
        DockerTarball.write(tarball, "mlops/os:test", List.of(DockerTarball.Entry.folder("etc", 0755),
                DockerTarball.Entry.text("etc/hostname", "probe\n")), "test");

        ImageTarball image = ImageTarball.read(tarball);

        assertThat(image.repoTags()).containsExactly("mlops/os:test");
        assertThat(image.config()).isEqualTo("config.json");
        assertThat(image.layers()).hasSize(1);
        ImageLayer layer = image.layers().get(0);
        // an uncompressed layer: stored bytes = unpacked bytes, and its digest is the config's diff_id
        assertThat(layer.compressed()).isEqualTo(layer.uncompressed()).isGreaterThan(0);
        assertThat(layer.digest()).isEqualTo(new ObjectMapper().readTree(member(tarball, "config.json"))
                .path("rootfs").path("diff_ids").get(0).asText());
    }

    @Test
    void aTarballWithoutManifestIsNotAnImage() throws IOException {
        // input tried: a tar holding only a layer, no manifest.json
        Path tarball = tar("layer.tar", "x");
        assertThatThrownBy(() -> ImageTarball.read(tarball)).isInstanceOf(IOException.class)
                .hasMessage(tarball + " has no manifest.json: not a docker-load image tarball");
    }

    @Test
    void aManifestNamingAMissingLayerIsRefused() throws IOException {
        // input tried: manifest.json listing gone.tar, which the tarball does not hold
        Path tarball = tar("manifest.json", "[{\"Config\":\"config.json\",\"RepoTags\":[],\"Layers\":[\"gone.tar\"]}]");
        assertThatThrownBy(() -> ImageTarball.read(tarball)).isInstanceOf(IOException.class)
                .hasMessage(tarball + " lists layer gone.tar but does not contain it");
    }

    private Path tar(String name, String content) throws IOException {
        Path tarball = folder.resolve("broken.tar");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tarball))) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(bytes.length);
            out.putArchiveEntry(entry);
            out.write(bytes);
            out.closeArchiveEntry();
        }
        return tarball;
    }

    private static String member(Path tarball, String name) throws IOException {
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(tarball))) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                if (entry.getName().equals(name)) {
                    return new String(tar.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException(name + " not in " + tarball);
    }
}
