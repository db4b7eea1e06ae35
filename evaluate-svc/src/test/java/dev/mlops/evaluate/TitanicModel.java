package dev.mlops.evaluate;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.estimator.Estimators;
import dev.mlops.model.forest.ForestParams;
import dev.mlops.model.forest.RandomForestClassifier;
import dev.mlops.model.preprocess.Preprocessor;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What preprocess and train would have produced for the shipped Titanic data: the test split (preprocessed, and
 * as ingested) and a model bundle.
 */
public record TitanicModel(ModelBundle bundle, CsvTable xTest, LabelColumn yTest, CsvTable testRaw) {

    public static TitanicModel train(ForestParams params) {
        CsvTable raw = raw();
        PipelineSpec.Features features = PipelineSpec.defaults("file:/unused").features();
        TrainTestSplit split = TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42);
        CsvTable train = rows(raw, split.train());
        CsvTable test = rows(raw, split.test());
        Preprocessor preprocessor = Preprocessor.fit(train, features);
        List<String> classes = Labels.classLabels(raw.column("Survived"));
        RandomForestClassifier forest = RandomForestClassifier.fit(preprocessor.transform(train),
                Labels.encode(train.column("Survived"), classes), params, 42);
        ModelBundle bundle = ModelBundle.of(forest, preprocessor, "Survived", classes, Map.of());
        return new TitanicModel(bundle, FeatureTable.toCsv(preprocessor.transform(test), preprocessor.featureNames()),
                new LabelColumn("Survived", test.column("Survived")), test);
    }

    /** A gradient-boosting regressor of Fare from the other columns, with its test split. */
    public static TitanicModel fareRegressor() {
        CsvTable raw = raw();
        PipelineSpec.Features features = new PipelineSpec.Features(
                List.of("Age", "Siblings/Spouses Aboard", "Parents/Children Aboard"), List.of("Pclass", "Sex"));
        TrainTestSplit split = TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42);
        CsvTable train = rows(raw, split.train());
        CsvTable test = rows(raw, split.test());
        Preprocessor preprocessor = Preprocessor.fit(train, features);
        double[] fares = train.column("Fare").stream().mapToDouble(Double::parseDouble).toArray();
        var model = Estimators.fitRegressor("gradient_boosting", preprocessor.transform(train), fares,
                Map.of("n_estimators", 100, "learning_rate", 0.1, "max_depth", 3, "subsample", 1.0,
                        "min_samples_leaf", 1), 42);
        ModelBundle bundle = ModelBundle.of(model, preprocessor, "Fare", List.of(), Map.of());
        return new TitanicModel(bundle, FeatureTable.toCsv(preprocessor.transform(test), preprocessor.featureNames()),
                new LabelColumn("Fare", test.column("Fare")), test);
    }

    private static CsvTable raw() {
        try {
            return CsvTable.parse(Files.readAllBytes(Path.of("../data/titanic.csv")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static CsvTable rows(CsvTable table, int[] indexes) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indexes) {
            rows.add(table.rows().get(i));
        }
        return new CsvTable(table.header(), rows);
    }
}
