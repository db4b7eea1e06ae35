package dev.mlops.evaluate;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.model.data.LabelColumn;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.TrainTestSplit;
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
        CsvTable raw;
        try {
            raw = CsvTable.parse(Files.readAllBytes(Path.of("../data/titanic.csv")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

    private static CsvTable rows(CsvTable table, int[] indexes) {
        List<List<String>> rows = new ArrayList<>();
        for (int i : indexes) {
            rows.add(table.rows().get(i));
        }
        return new CsvTable(table.header(), rows);
    }
}
