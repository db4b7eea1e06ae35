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
            CsvTable raw = raw();
            PipelineSpec.Features features = PipelineSpec.defaults("file:" + TITANIC).features();
            Preprocessor preprocessor = Preprocessor.fit(raw, features);
            var classes = Labels.classLabels(raw.column("Survived"));
            RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(raw),
                    Labels.encode(raw.column("Survived"), classes), new ForestParams(25, 6, 2, 1), 42);
            bundle = ModelBundle.of(forest, preprocessor, "Survived", classes,
                    Map.of("run_id", RUN_ID, "model_name", NAME, "model_version", VERSION));
        }
        return bundle;
    }

    /** The bundle written as ModelBundle.writeTo writes it: folder/model/model.bin, ... */
    public static synchronized Path folder() {
        if (folder == null) {
            try {
                Path target = Path.of("target");
                folder = Files.createTempDirectory(Files.isDirectory(target) ? target : Path.of(System.getProperty("java.io.tmpdir")),
                        "test-model-").toAbsolutePath();
                bundle().writeTo(folder);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }
}
