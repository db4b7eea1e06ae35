package dev.mlops.train;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.train.service.TrainingInputs;
import dev.mlops.train.service.TrainingSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The shipped Titanic data as the published workflow prepares it: preprocessor fitted on every row (fitOn=all),
 * then scikit-learn's 80/20 split with seed 42. What preprocess would hand to train.
 */
public record TitanicData(Preprocessor preprocessor, TrainingSet train, double[][] testX, int[] testY,
                          List<String> trainLabels) {

    public static final long SEED = 42;

    public static Path csv() {
        return Stream.of(Path.of("../data/titanic.csv"), Path.of("data/titanic.csv"))
                .filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IllegalStateException("data/titanic.csv not found from " + Path.of("").toAbsolutePath()))
                .toAbsolutePath().normalize();
    }

    public static TitanicData publishedSplit() {
        return publishedSplit(csv());
    }

    public static TitanicData publishedSplit(Path csv) {
        CsvTable raw;
        try {
            raw = CsvTable.parse(Files.readAllBytes(csv));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PipelineSpec spec = PipelineSpec.defaults(csv.toUri().toString());
        Preprocessor preprocessor = Preprocessor.fit(raw, spec.features());
        double[][] features = preprocessor.transform(raw);
        List<String> labels = raw.column(spec.target());
        List<String> classes = Labels.classLabels(labels);
        int[] y = Labels.encode(labels, classes);
        TrainTestSplit split = TrainTestSplit.shuffle(features.length, spec.split().testSize(), SEED);
        TrainingSet train = new TrainingSet(rows(features, split.train()), pick(y, split.train()), classes,
                preprocessor.featureNames());
        List<String> trainLabels = Arrays.stream(split.train()).mapToObj(labels::get).toList();
        return new TitanicData(preprocessor, train, rows(features, split.test()), pick(y, split.test()), trainLabels);
    }

    /** {@code preprocess/X_train.csv} as preprocess writes it. */
    public byte[] xTrainCsv() {
        return FeatureTable.toCsv(train.x(), train.featureNames()).toBytes();
    }

    /** {@code preprocess/y_train.csv} as preprocess writes it. */
    public byte[] yTrainCsv() {
        return new LabelColumn("Survived", trainLabels).toBytes();
    }

    /** Stores the preprocess artifacts of run {@code runId}: the input artifacts of its preprocess completed event. */
    public Map<String, String> storeInputs(ArtifactStore store, String runId) {
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(TrainingInputs.X_TRAIN, store.put(runId, TrainingInputs.X_TRAIN, xTrainCsv(), "text/plain").toString());
        artifacts.put(TrainingInputs.Y_TRAIN, store.put(runId, TrainingInputs.Y_TRAIN, yTrainCsv(), "text/plain").toString());
        artifacts.put(TrainingInputs.PREPROCESSOR, store.put(runId, TrainingInputs.PREPROCESSOR,
                preprocessor.toJson().getBytes(), "text/plain").toString());
        return artifacts;
    }

    /** A random-forest spec on this data (the published split) with {@code grid} and {@code folds}. */
    public static PipelineSpec forestSpec(String modelName, int folds, PipelineSpec.Grid grid) {
        PipelineSpec d = PipelineSpec.defaults("file:" + csv());
        return new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(),
                new PipelineSpec.Split(0.2, SEED, PipelineSpec.FIT_ON_ALL, false),
                new PipelineSpec.Model(modelName, "random_forest", folds, grid), d.gate(), d.deploy());
    }

    private static double[][] rows(double[][] x, int[] indexes) {
        return Arrays.stream(indexes).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    private static int[] pick(int[] y, int[] indexes) {
        return Arrays.stream(indexes).map(i -> y[i]).toArray();
    }
}
