package dev.mlops.preprocess.service;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.runtime.stage.StageFailure;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SplitPreparationTest {

    static final PipelineSpec DEFAULTS = PipelineSpec.defaults("file:/data/titanic.csv");

    private final CsvTable raw = titanic();

    @Test
    void defaultSpecSplitsAsScikitLearnAndFitsOnTheTrainingSplit() {
        PreparedSplits splits = SplitPreparation.prepare(raw, DEFAULTS);

        assertThat(splits.xTrain()).hasDimensions(709, 9);
        assertThat(splits.xTest()).hasDimensions(178, 9);
        assertThat(splits.yTest().name()).isEqualTo("Survived");
        // scikit-learn's train_test_split(test_size=0.2, random_state=42) puts rows 296, 682, 535 first in the test split
        List<String> survived = raw.column("Survived");
        assertThat(splits.yTest().values()).startsWith(survived.get(296), survived.get(682), survived.get(535));
        double ageMean = 0;
        for (double[] row : splits.xTrain()) {
            ageMean += row[0];
        }
        assertThat(ageMean / 709).as("scaled on the training split").isCloseTo(0, within(1e-12));
    }

    @Test
    void fitOnAllFitsTheTransformOnEveryRowAsPublished() {
        PreparedSplits splits = SplitPreparation.prepare(raw, withSplit(new PipelineSpec.Split(0.2, 42L, "all", false)));

        assertThat(splits.preprocessor()).isEqualTo(Preprocessor.fit(raw, DEFAULTS.features()));
        assertThat(splits.xTest()).hasNumberOfRows(178);
    }

    @Test
    void stratifiedSplitKeepsTheSurvivorShare() {
        PreparedSplits splits = SplitPreparation.prepare(raw, withSplit(new PipelineSpec.Split(0.2, 42L, "train", true)));

        assertThat(splits.yTest().values().stream().filter("1"::equals).count()).isEqualTo(69);
        assertThat(splits.yTrain().values()).hasSize(709);
    }

    @Test
    void theTaskIsInferredFromTheTarget() {
        assertThat(SplitPreparation.prepare(raw, DEFAULTS).task()).as("Survived: 0/1")
                .isEqualTo(new TargetTask("classification", true));
        assertThat(SplitPreparation.prepare(raw, withTarget("Fare", null)).task()).as("Fare: fractions")
                .isEqualTo(new TargetTask("regression", true));
        // Age holds whole numbers here, but far more than 20 distinct ones
        assertThat(SplitPreparation.prepare(raw, withTarget("Age", null)).task().task()).isEqualTo("regression");
        assertThat(SplitPreparation.prepare(raw, withTarget("Parents/Children Aboard", null)).task().task())
                .as("7 whole-number levels").isEqualTo("classification");
        assertThat(SplitPreparation.prepare(raw, withTarget("Parents/Children Aboard", "regression")).task())
                .as("the spec's task wins").isEqualTo(new TargetTask("regression", false));
    }

    @Test
    void aNonNumericTargetWithTaskRegressionFailsNamingTaskAndTheValue() {
        // input: task regression for the Sex column
        assertThatThrownBy(() -> SplitPreparation.prepare(raw, withTarget("Sex", "regression")))
                .isInstanceOf(StageFailure.class)
                .hasMessageContaining("task is 'regression' but target column 'Sex' is not numeric: row 1 holds 'male'")
                .hasMessageContaining("the API cannot see the data");
    }

    @Test
    void aStratifiedSplitOfARegressionTargetFailsNamingSplitStratify() {
        PipelineSpec spec = withTarget("Fare", null);
        PipelineSpec stratified = new PipelineSpec(spec.name(), spec.dataset(), spec.target(), spec.task(),
                spec.features(), new PipelineSpec.Split(0.2, 42L, "train", true), spec.model(), spec.gate(),
                spec.deploy());
        assertThatThrownBy(() -> SplitPreparation.prepare(raw, stratified))
                .hasMessageContaining("split.stratify").hasMessageContaining("regression (task inferred from");
    }

    /** The default spec predicting {@code target} from the other Titanic columns. */
    static PipelineSpec withTarget(String target, String task) {
        List<String> numeric = new ArrayList<>(DEFAULTS.features().numeric());
        List<String> categorical = new ArrayList<>(DEFAULTS.features().categorical());
        numeric.remove(target);
        categorical.remove(target);
        return new PipelineSpec(DEFAULTS.name(), DEFAULTS.dataset(), target, task,
                new PipelineSpec.Features(numeric, categorical), DEFAULTS.split(), DEFAULTS.model(), DEFAULTS.gate(),
                DEFAULTS.deploy());
    }

    @Test
    void targetWithASingleClassFails() {
        CsvTable allDied = withColumn(raw, "Survived", i -> "0");

        assertThatThrownBy(() -> SplitPreparation.prepare(allDied, DEFAULTS)).isInstanceOf(StageFailure.class)
                .hasMessage("target column 'Survived' has a single class ('0') in all 887 rows of the dataset:"
                        + " a classifier needs at least two");
    }

    @Test
    void rowsWithoutALabelFail() {
        CsvTable unlabelled = withColumn(raw, "Survived", i -> i == 10 || i == 20 ? "" : raw.rows().get(i).get(0));

        assertThatThrownBy(() -> SplitPreparation.prepare(unlabelled, DEFAULTS)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("target column 'Survived' has no value in 2 rows of the dataset (first: row 11, line 12)");
    }

    @Test
    void entirelyEmptyFeatureColumnFails() {
        CsvTable noAges = withColumn(raw, "Age", i -> "NA");

        assertThatThrownBy(() -> SplitPreparation.prepare(noAges, DEFAULTS)).isInstanceOf(StageFailure.class)
                .hasMessageContaining("feature column 'Age' has no values: all 887 rows are empty or NA");
    }

    @Test
    void nonNumericValueInANumericFeatureFailsNamingColumnAndRow() {
        CsvTable textFare = withColumn(raw, "Fare", i -> i == 99 ? "free" : raw.rows().get(i).get(7));

        assertThatThrownBy(() -> SplitPreparation.prepare(textFare, DEFAULTS)).isInstanceOf(StageFailure.class)
                .hasMessage("numeric feature 'Fare' has a non-numeric value in row 100 (line 101 of the CSV)");
    }

    @Test
    void splitThatLeavesNoTrainingRowsFails() {
        CsvTable twoRows = new CsvTable(raw.header(), raw.rows().subList(0, 2));

        assertThatThrownBy(() -> SplitPreparation.prepare(twoRows, withSplit(new PipelineSpec.Split(0.9, 42L, "train", false))))
                .isInstanceOf(StageFailure.class).hasMessage("split.testSize 0.9 leaves 2 test rows and 0 training rows"
                        + " of the dataset's 2 rows: both splits need at least one row");
    }

    static PipelineSpec withSplit(PipelineSpec.Split split) {
        PipelineSpec d = DEFAULTS;
        return new PipelineSpec(d.name(), d.dataset(), d.target(), d.features(), split, d.model(), d.gate(), d.deploy());
    }

    static CsvTable titanic() {
        try {
            return CsvTable.parse(Files.readAllBytes(Path.of("../data/titanic.csv")));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static CsvTable withColumn(CsvTable table, String column, java.util.function.IntFunction<String> value) {
        int index = table.columnIndex(column);
        List<List<String>> rows = new ArrayList<>();
        for (int i = 0; i < table.rows().size(); i++) {
            List<String> row = new ArrayList<>(table.rows().get(i));
            row.set(index, value.apply(i));
            rows.add(row);
        }
        return new CsvTable(table.header(), rows);
    }
}
