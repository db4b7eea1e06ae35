package dev.mlops.serving.service;

import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.serving.TestModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What start-up says when mlops.model.uri does not lead to a usable bundle (no Quarkus: the loader alone). */
class BundleLoaderTest {

    private final BundleLoader loader = new BundleLoader(() -> {
        throw new IllegalStateException("mlops.s3.access-key is not set");
    });

    @Test
    void readsAFolderByFileUriPlainPathOrItsModelFolder(@TempDir Path dir) throws Exception {
        TestModel.bundle().writeTo(dir);

        for (String uri : new String[] {"file:" + dir, dir.toUri().toString(), dir.toString(), dir.resolve("model").toString()}) {
            ModelBundle loaded = loader.load(uri);
            assertThat(loaded.metadata()).as(uri).containsEntry("run_id", TestModel.RUN_ID);
        }
    }

    @Test
    void aMissingFolderIsNamed(@TempDir Path dir) {
        Path missing = dir.resolve("nothing-here");

        assertThatThrownBy(() -> loader.load("file:" + missing)).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("mlops.model.uri=file:" + missing)
                .hasMessageContaining("there is no folder " + missing);
    }

    @Test
    void aFolderWithoutABundleOrWithAFileMissing(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> loader.load(dir.toString())).hasMessageContaining("holds no model bundle");

        TestModel.bundle().writeTo(dir);
        Files.delete(dir.resolve("model/preprocessor.json"));

        assertThatThrownBy(() -> loader.load(dir.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("lacks model/preprocessor.json");
    }

    @Test
    void aCorruptModelFile(@TempDir Path dir) throws Exception {
        TestModel.bundle().writeTo(dir);
        Files.writeString(dir.resolve("model/model.bin"), "not a model");

        assertThatThrownBy(() -> loader.load(dir.toString())).isInstanceOf(ModelLoadException.class)
                .hasMessageContaining("model/model.bin is not a serialised model");
    }

    @Test
    void unsupportedSchemesAndMissingS3Settings() {
        assertThatThrownBy(() -> loader.load("https://example.org/model")).hasMessageContaining("unsupported scheme");
        assertThatThrownBy(() -> loader.load("s3://mlops-artifacts/runs/r1/model"))
                .hasMessageContaining("mlops.model.uri=s3://mlops-artifacts/runs/r1/model")
                .hasMessageContaining("mlops.s3.access-key is not set");
        assertThatThrownBy(() -> loader.load(" ")).hasMessageContaining("mlops.model.uri is empty");
    }
}
