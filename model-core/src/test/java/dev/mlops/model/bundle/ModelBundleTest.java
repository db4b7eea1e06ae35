package dev.mlops.model.bundle;

import dev.mlops.common.data.CsvTable;
import dev.mlops.model.TitanicData;
import dev.mlops.model.data.Labels;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelBundleTest {

    private static final CsvTable RAW = TitanicData.raw();
    private static final ModelBundle BUNDLE = train();

    private static ModelBundle train() {
        Preprocessor preprocessor = Preprocessor.fit(RAW, TitanicData.FEATURES);
        List<String> classes = Labels.classLabels(RAW.column("Survived"));
        RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(RAW),
                Labels.encode(RAW.column("Survived"), classes), new ForestParams(30, 8, 2, 1), 42);
        return ModelBundle.of(forest, preprocessor, "Survived", classes, Map.of("run_id", "run-1", "n_estimators", "30"));
    }

    @Test
    void filesAreTheRunRelativeArtifacts() {
        Map<String, byte[]> files = BUNDLE.toFiles();

        assertThat(files.keySet()).containsExactly("model/model.bin", "model/preprocessor.json", "model/signature.json",
                "model/metadata.json", "model/MLmodel");
        assertThat(text(files, "model/signature.json")).contains("\"target\" : \"Survived\"",
                "\"name\" : \"Pclass\"", "\"type\" : \"categorical\"", "\"classLabels\" : [ \"0\", \"1\" ]");
        assertThat(text(files, "model/metadata.json")).contains("\"run_id\" : \"run-1\"", "\"smile_version\" : \"3.1.1\"");
        assertThat(text(files, "model/MLmodel")).contains("java_smile:", "model_file: model.bin", "run_id: run-1",
                "{\"name\": \"Age\", \"type\": \"double\"}");
    }

    @Test
    void roundTripGivesIdenticalPredictions() {
        ModelBundle loaded = ModelBundle.fromFiles(BUNDLE.toFiles());
        double[][] x = BUNDLE.preprocessor().transform(RAW);

        assertThat(loaded.predict(x)).containsExactly(BUNDLE.predict(x));
        assertThat(((RandomForestClassifier) loaded.model()).predictProbabilities(x))
                .isDeepEqualTo(((RandomForestClassifier) BUNDLE.model()).predictProbabilities(x));
        assertThat(loaded.signature()).isEqualTo(BUNDLE.signature());
        assertThat(loaded.classLabels()).containsExactly("0", "1");
        assertThat(loaded.metadata()).isEqualTo(BUNDLE.metadata());
        assertThat(loaded.preprocessor()).isEqualTo(BUNDLE.preprocessor());
    }

    @Test
    void directoryRoundTripAndRawRecordPrediction(@TempDir Path dir) throws Exception {
        BUNDLE.writeTo(dir);

        ModelBundle loaded = ModelBundle.readFrom(dir);

        assertThat(dir.resolve("model/model.bin")).isRegularFile();
        Map<String, Object> firstClassWoman = new HashMap<>(Map.of("Pclass", 1, "Sex", "female", "Age", 30,
                "Siblings/Spouses Aboard", 0, "Parents/Children Aboard", 0, "Fare", 80.0));
        assertThat(loaded.predictRaw(firstClassWoman)).isEqualTo("1");
        Files.delete(dir.resolve("model/signature.json"));
        assertThatThrownBy(() -> ModelBundle.readFrom(dir)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("lacks model/signature.json");
    }

    @Test
    void missingAndBrokenFilesAreNamed() {
        Map<String, byte[]> files = new LinkedHashMap<>(BUNDLE.toFiles());
        files.remove("model/model.bin");
        files.remove("model/metadata.json");
        assertThatThrownBy(() -> ModelBundle.fromFiles(files)).isInstanceOf(InvalidBundleException.class)
                .hasMessageStartingWith("the model bundle lacks model/model.bin, model/metadata.json (it has: ");

        Map<String, byte[]> garbage = new LinkedHashMap<>(BUNDLE.toFiles());
        garbage.put("model/model.bin", "not java".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelBundle.fromFiles(garbage)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("model/model.bin is not a serialised model");

        Map<String, byte[]> badJson = new LinkedHashMap<>(BUNDLE.toFiles());
        badJson.put("model/signature.json", "{".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> ModelBundle.fromFiles(badJson)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("model/signature.json is not valid");
    }

    @Test
    void modelFileMayHoldOnlyModelClasses() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new java.io.File("/etc/passwd"));
        }
        Map<String, byte[]> files = new LinkedHashMap<>(BUNDLE.toFiles());
        files.put("model/model.bin", bytes.toByteArray());

        assertThatThrownBy(() -> ModelBundle.fromFiles(files)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("classes a model may not contain");
    }

    @Test
    void inconsistentPartsAreRefused() {
        Preprocessor numericOnly = new Preprocessor(BUNDLE.preprocessor().numericColumns(), List.of());

        assertThatThrownBy(() -> ModelBundle.of(BUNDLE.model(), numericOnly, "Survived", List.of("0", "1"), Map.of()))
                .isInstanceOf(InvalidBundleException.class).hasMessage("the model reads 9 features, the preprocessor makes 4");
        assertThatThrownBy(() -> ModelBundle.of(BUNDLE.model(), BUNDLE.preprocessor(), "Survived", new ArrayList<>(List.of("0")), Map.of()))
                .isInstanceOf(InvalidBundleException.class).hasMessageContaining("predicts 2 classes");
    }

    private static String text(Map<String, byte[]> files, String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }
}
