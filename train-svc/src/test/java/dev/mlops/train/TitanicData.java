package dev.mlops.train;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.train.service.TrainingSet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
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

    private static double[][] rows(double[][] x, int[] indexes) {
        return Arrays.stream(indexes).mapToObj(i -> x[i]).toArray(double[][]::new);
    }

    private static int[] pick(int[] y, int[] indexes) {
        return Arrays.stream(indexes).map(i -> y[i]).toArray();
    }
}
