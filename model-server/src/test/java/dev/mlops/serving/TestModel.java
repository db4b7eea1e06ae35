package dev.mlops.serving;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real bundle trained on the shipped Titanic CSV (small forest), and the data to score with it. */
public final class TestModel {

    public static final Path TITANIC = Path.of("../data/titanic.csv").toAbsolutePath().normalize();
    public static final String RUN_ID = "run-model-server-test";
    public static final String NAME = "titanic-rf";
    public static final String VERSION = "7";

    private static ModelBundle bundle;
    private static Path folder;
    private static Path otherFolder;

    private TestModel() {
    }

    public static CsvTable raw() {
        try {
            return CsvTable.parse(Files.readAllBytes(TITANIC));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deterministic: the same data, parameters and seed give the same forest in every class loader. */
    public static synchronized ModelBundle bundle() {
        if (bundle == null) {
            bundle = train(new ForestParams(25, 6, 2, 1), RUN_ID, VERSION);
        }
        return bundle;
    }

    /** Another model of the same data (3 trees of depth 2), whose predictions differ from {@link #bundle()}'s. */
    public static ModelBundle other() {
        return train(new ForestParams(3, 2, 2, 1), "run-model-server-other", "8");
    }

    private static ModelBundle train(ForestParams params, String runId, String version) {
        CsvTable raw = raw();
        PipelineSpec.Features features = PipelineSpec.defaults("file:" + TITANIC).features();
        Preprocessor preprocessor = Preprocessor.fit(raw, features);
        var classes = Labels.classLabels(raw.column("Survived"));
        RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(raw),
                Labels.encode(raw.column("Survived"), classes), params, 42);
        return ModelBundle.of(forest, preprocessor, "Survived", classes,
                Map.of("run_id", runId, "model_name", NAME, "model_version", version));
    }

    /** The bundle written as ModelBundle.writeTo writes it: folder/model/model.bin, ... */
    public static synchronized Path folder() {
        if (folder == null) {
            folder = written(bundle());
        }
        return folder;
    }

    /** {@link #other()} written as {@link #folder()} is. */
    public static synchronized Path otherFolder() {
        if (otherFolder == null) {
            otherFolder = written(other());
        }
        return otherFolder;
    }

    private static Path written(ModelBundle model) {
        try {
            Path target = Path.of("target");
            Path dir = Files.createTempDirectory(Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir")),
                    "test-model-").toAbsolutePath();
            model.writeTo(dir);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
