package dev.mlops.model.bundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.common.json.Json;
import dev.mlops.model.estimator.Classifier;
import dev.mlops.model.estimator.Regressor;
import dev.mlops.model.estimator.TrainedModel;
import dev.mlops.model.preprocess.Preprocessor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A trained model with everything needed to use it: the model (a {@link Classifier} or a {@link Regressor}), the
 * fitted preprocessor, the signature, the class labels (a classifier predicts indexes into them; a regressor has
 * none) and free-form metadata (library versions, params, task, run id...).
 * Stored as run artifacts under {@code model/}: see {@link #toFiles()}.
 */
public record ModelBundle(TrainedModel model, Preprocessor preprocessor, ModelSignature signature,
                          List<String> classLabels, Map<String, String> metadata) {

    public static final String MODEL_FILE = "model/model.bin";
    public static final String PREPROCESSOR_FILE = "model/preprocessor.json";
    public static final String SIGNATURE_FILE = "model/signature.json";
    public static final String METADATA_FILE = "model/metadata.json";
    public static final String MLMODEL_FILE = "model/MLmodel";
    /** The files {@link #fromFiles} needs; {@code model/MLmodel} only describes them. */
    public static final List<String> REQUIRED_FILES = List.of(MODEL_FILE, PREPROCESSOR_FILE, SIGNATURE_FILE, METADATA_FILE);

    private static final ObjectInputFilter MODEL_CLASSES = ObjectInputFilter.Config.createFilter(
            "maxdepth=200;dev.mlops.model.**;smile.**;java.lang.*;java.util.*;java.time.*;!*");

    private static final Properties VERSIONS = versions();

    public ModelBundle {
        classLabels = List.copyOf(classLabels);
        metadata = Map.copyOf(metadata);
        if (!signature.featureColumns().equals(preprocessor.featureNames())) {
            throw new InvalidBundleException("the signature's feature columns " + signature.featureColumns()
                    + " are not the preprocessor's " + preprocessor.featureNames());
        }
        if (model.featureCount() != preprocessor.featureNames().size()) {
            throw new InvalidBundleException("the model reads " + model.featureCount() + " features, the preprocessor makes "
                    + preprocessor.featureNames().size());
        }
        if (model instanceof Classifier classifier && classifier.classCount() > classLabels.size()) {
            throw new InvalidBundleException("the model predicts " + classifier.classCount() + " classes, the bundle"
                    + " names " + classLabels.size() + ": " + classLabels);
        }
        if (model instanceof Regressor && !classLabels.isEmpty()) {
            throw new InvalidBundleException("a regressor's bundle names no class labels, this one names " + classLabels);
        }
    }

    /**
     * A bundle whose signature follows from the preprocessor; metadata gets {@code created_at},
     * {@code smile_version}, {@code model_core_version}, {@code java_version}, {@code model_class} and {@code task}
     * unless given. A regressor's {@code classLabels} are empty.
     */
    public static ModelBundle of(TrainedModel model, Preprocessor preprocessor, String target,
                                 List<String> classLabels, Map<String, String> metadata) {
        Map<String, String> all = new TreeMap<>();
        all.put("created_at", Instant.now().toString());
        all.put("smile_version", VERSIONS.getProperty("smile.version", "unknown"));
        all.put("model_core_version", VERSIONS.getProperty("model-core.version", "unknown"));
        all.put("java_version", System.getProperty("java.version"));
        all.put("model_class", model.getClass().getName());
        all.put("task", task(model));
        all.putAll(metadata);
        return new ModelBundle(model, preprocessor, ModelSignature.of(preprocessor, target), classLabels, all);
    }

    /** "classification" or "regression": what the model predicts. */
    public String task() {
        return task(model);
    }

    public boolean regression() {
        return model instanceof Regressor;
    }

    /** The model as a classifier; a regression bundle has none. */
    public Classifier classifier() {
        if (!(model instanceof Classifier classifier)) {
            throw new IllegalStateException("a " + task() + " model predicts numbers, not class labels");
        }
        return classifier;
    }

    /** Predicted label indexes for preprocessed feature rows; a regressor's bundle has none (use {@link #predictValues}). */
    public int[] predict(double[][] features) {
        return classifier().predict(features);
    }

    /** Predicted numbers for preprocessed feature rows; a classifier's bundle has none (use {@link #predict}). */
    public double[] predictValues(double[][] features) {
        if (!(model instanceof Regressor regressor)) {
            throw new IllegalStateException("a " + task() + " model predicts class labels, not numbers");
        }
        return regressor.predict(features);
    }

    /** The prediction for one raw record (input column -> value), through the preprocessor: a label or a number. */
    public String predictRaw(Map<String, Object> rawRecord) {
        double[][] row = {preprocessor.transform(rawRecord)};
        return regression() ? Double.toString(predictValues(row)[0]) : classLabels.get(predict(row)[0]);
    }

    private static String task(TrainedModel model) {
        return model instanceof Regressor ? "regression" : "classification";
    }

    /** Run-relative artifact path -> content, in the order written: {@code model/model.bin}, ... {@code model/MLmodel}. */
    public Map<String, byte[]> toFiles() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        byte[] modelBytes = serialise(model);
        files.put(MODEL_FILE, modelBytes);
        files.put(PREPROCESSOR_FILE, utf8(preprocessor.toJson()));
        files.put(SIGNATURE_FILE, utf8(prettyJson(new SignatureDocument(signature.inputs(), signature.featureColumns(),
                signature.target(), classLabels))));
        files.put(METADATA_FILE, utf8(prettyJson(new TreeMap<>(metadata))));
        files.put(MLMODEL_FILE, utf8(mlmodel(modelBytes.length)));
        return files;
    }

    /** Loads {@link #toFiles()}'s files; says which required files are missing or which one is invalid. */
    public static ModelBundle fromFiles(Map<String, byte[]> files) {
        List<String> missing = REQUIRED_FILES.stream().filter(f -> !files.containsKey(f)).toList();
        if (!missing.isEmpty()) {
            throw new InvalidBundleException("the model bundle lacks " + String.join(", ", missing)
                    + " (it has: " + (files.isEmpty() ? "no files" : String.join(", ", files.keySet())) + ")");
        }
        TrainedModel model = deserialise(files.get(MODEL_FILE));
        Preprocessor preprocessor;
        try {
            preprocessor = Preprocessor.fromJson(text(files.get(PREPROCESSOR_FILE)));
        } catch (IllegalArgumentException e) {
            throw new InvalidBundleException(PREPROCESSOR_FILE + " is invalid: " + e.getMessage(), e);
        }
        SignatureDocument signature = readJson(SIGNATURE_FILE, files, new TypeReference<>() { });
        Map<String, String> metadata = readJson(METADATA_FILE, files, new TypeReference<TreeMap<String, String>>() { });
        if (signature.inputs() == null || signature.featureColumns() == null || signature.target() == null
                || signature.classLabels() == null) {
            throw new InvalidBundleException(SIGNATURE_FILE + " needs inputs, featureColumns, target and classLabels");
        }
        return new ModelBundle(model, preprocessor,
                new ModelSignature(signature.inputs(), signature.featureColumns(), signature.target()),
                signature.classLabels(), metadata);
    }

    /** Writes {@link #toFiles()} under {@code dir} (so {@code dir/model/model.bin}, ...). */
    public void writeTo(Path dir) throws IOException {
        for (Map.Entry<String, byte[]> file : toFiles().entrySet()) {
            Path target = dir.resolve(file.getKey());
            Files.createDirectories(target.getParent());
            Files.write(target, file.getValue());
        }
    }

    /** Reads a bundle that {@link #writeTo(Path)} wrote under {@code dir}. */
    public static ModelBundle readFrom(Path dir) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : List.of(MODEL_FILE, PREPROCESSOR_FILE, SIGNATURE_FILE, METADATA_FILE, MLMODEL_FILE)) {
            Path file = dir.resolve(name);
            if (Files.isRegularFile(file)) {
                files.put(name, Files.readAllBytes(file));
            }
        }
        try {
            return fromFiles(files);
        } catch (InvalidBundleException e) {
            throw new InvalidBundleException("model bundle in " + dir.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    record SignatureDocument(List<ModelSignature.InputColumn> inputs, List<String> featureColumns, String target,
                             List<String> classLabels) {
    }

    private String mlmodel(int modelSize) {
        String inputs = signature.inputs().stream()
                .map(c -> "{\"name\": " + Json.write(c.name()) + ", \"type\": \""
                        + (ModelSignature.NUMERIC.equals(c.type()) ? "double" : "string") + "\"}")
                .collect(Collectors.joining(", ", "[", "]"));
        List<String> lines = new ArrayList<>();
        lines.add("# mlops model bundle, described in the manner of an MLflow MLmodel file");
        lines.add("artifact_path: model");
        lines.add("flavors:");
        lines.add("  java_smile:");
        lines.add("    model_class: " + model.getClass().getName());
        lines.add("    task: " + task());
        lines.add("    model_file: model.bin");
        lines.add("    serialization_format: java");
        lines.add("    smile_version: " + metadata.getOrDefault("smile_version", "unknown"));
        lines.add("    preprocessor_file: preprocessor.json");
        lines.add("    metadata_file: metadata.json");
        lines.add("model_size_bytes: " + modelSize);
        if (metadata.containsKey("run_id")) {
            lines.add("run_id: " + metadata.get("run_id"));
        }
        if (metadata.containsKey("created_at")) {
            lines.add("utc_time_created: '" + metadata.get("created_at") + "'");
        }
        lines.add("signature:");
        lines.add("  inputs: '" + inputs.replace("'", "''") + "'");
        lines.add("  features: '" + Json.write(signature.featureColumns()).replace("'", "''") + "'");
        String output = regression() ? "\"type\": \"double\""
                : "\"type\": \"string\", \"classes\": " + Json.write(classLabels).replace("'", "''");
        lines.add("  outputs: '[{\"name\": " + Json.write(signature.target()).replace("'", "''") + ", " + output + "}]'");
        return String.join("\n", lines) + "\n";
    }

    private static Properties versions() {
        Properties versions = new Properties();
        try (InputStream in = ModelBundle.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            // the versions only annotate the metadata
        }
        return versions;
    }

    private static byte[] serialise(TrainedModel model) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        } catch (IOException e) {
            throw new UncheckedIOException("could not serialise the model", e);
        }
        return bytes.toByteArray();
    }

    private static TrainedModel deserialise(byte[] content) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(content))) {
            in.setObjectInputFilter(MODEL_CLASSES);
            Object model = in.readObject();
            if (!(model instanceof TrainedModel trained)) {
                throw new InvalidBundleException(MODEL_FILE + " holds a " + model.getClass().getName()
                        + ", not a " + TrainedModel.class.getName());
            }
            return trained;
        } catch (InvalidClassException e) {
            throw new InvalidBundleException(MODEL_FILE + " was written by an incompatible version or holds classes"
                    + " a model may not contain: " + e.getMessage(), e);
        } catch (IOException | ClassNotFoundException e) {
            throw new InvalidBundleException(MODEL_FILE + " is not a serialised model: " + e, e);
        }
    }

    private static <T> T readJson(String name, Map<String, byte[]> files, TypeReference<T> type) {
        try {
            return Json.mapper().readValue(text(files.get(name)), type);
        } catch (JsonProcessingException e) {
            throw new InvalidBundleException(name + " is not valid: " + e.getOriginalMessage(), e);
        }
    }

    private static String prettyJson(Object value) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] content) {
        return new String(content, StandardCharsets.UTF_8);
    }
}
