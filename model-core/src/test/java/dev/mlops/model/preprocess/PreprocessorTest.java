package dev.mlops.model.preprocess;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.TitanicData;
import dev.mlops.model.data.TrainTestSplit;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class PreprocessorTest {

    private final CsvTable raw = TitanicData.raw();

    @Test
    void featureNamesAreScikitLearns() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);

        assertThat(preprocessor.featureNames()).containsExactly(
                "num__Age", "num__Fare", "num__Siblings/Spouses Aboard", "num__Parents/Children Aboard",
                "cat__Pclass_1", "cat__Pclass_2", "cat__Pclass_3", "cat__Sex_female", "cat__Sex_male");
        assertThat(preprocessor.transform(raw)).hasDimensions(887, 9);
    }

    @Test
    void trainingSplitScalerGivesMeanZeroAndUnitVariance() {
        CsvTable train = TitanicData.rows(raw, TrainTestSplit.shuffle(raw.rows().size(), 0.2, 42).train());
        Preprocessor preprocessor = Preprocessor.fit(train, TitanicData.FEATURES);
        double[][] x = preprocessor.transform(train);

        assertThat(x).hasNumberOfRows(709);
        for (int j = 0; j < 4; j++) {
            double mean = 0;
            for (double[] row : x) {
                mean += row[j];
            }
            mean /= x.length;
            double variance = 0;
            for (double[] row : x) {
                variance += (row[j] - mean) * (row[j] - mean);
            }
            variance /= x.length;
            assertThat(mean).as("mean of " + preprocessor.featureNames().get(j)).isCloseTo(0, within(1e-12));
            assertThat(variance).as("variance of " + preprocessor.featureNames().get(j)).isCloseTo(1, within(1e-12));
        }
        for (double[] row : x) {
            assertThat(row[4] + row[5] + row[6]).as("one Pclass column is hot").isEqualTo(1.0);
            assertThat(row[7] + row[8]).as("one Sex column is hot").isEqualTo(1.0);
        }
    }

    @Test
    void fitOnAllRowsMatchesScikitLearnsFittedValues() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        Preprocessor.NumericColumn age = preprocessor.numericColumns().get(0);
        Preprocessor.NumericColumn fare = preprocessor.numericColumns().get(1);

        // the CS109 file has no missing ages; scikit-learn's StandardScaler on all 887 rows gives these
        assertThat(age.median()).isEqualTo(28.0);
        assertThat(age.mean()).isCloseTo(29.471443066516347, within(1e-9));
        assertThat(age.scale()).isCloseTo(14.113945671023181, within(1e-9));
        assertThat(fare.median()).isCloseTo(14.4542, within(1e-12));
        assertThat(fare.mean()).isCloseTo(32.30542018038331, within(1e-9));
        assertThat(fare.scale()).isCloseTo(49.7539704569215, within(1e-9));
        assertThat(preprocessor.categoricalColumns().get(0).mostFrequent()).isEqualTo("3");
        assertThat(preprocessor.categoricalColumns().get(1).categories()).containsExactly("female", "male");
    }

    @Test
    void missingValuesAreImputedWithMedianAndMostFrequent() {
        CsvTable table = table(List.of("Age", "Pclass"),
                List.of("10", "1"), List.of("NA", "2"), List.of("30", ""), List.of("40", "2"), List.of("", "3"));
        Preprocessor preprocessor = Preprocessor.fit(table, new PipelineSpec.Features(List.of("Age"), List.of("Pclass")));

        assertThat(preprocessor.numericColumns().get(0).median()).isEqualTo(30.0);
        assertThat(preprocessor.categoricalColumns().get(0).mostFrequent()).isEqualTo("2");
        double[][] x = preprocessor.transform(table);
        assertThat(x[1][0]).as("NA age becomes the median").isEqualTo(x[2][0]);
        assertThat(x[2]).as("empty Pclass becomes the most frequent, 2").endsWith(0.0, 1.0, 0.0);
    }

    @Test
    void numericCategoriesSortNumericallyAndTiesGoToTheSmallest() {
        CsvTable table = table(List.of("Deck", "Code"),
                List.of("10", "b"), List.of("9", "a"), List.of("10", "B"), List.of("9", "a"), List.of("100", "b"));
        Preprocessor preprocessor = Preprocessor.fit(table, new PipelineSpec.Features(List.of(), List.of("Deck", "Code")));

        assertThat(preprocessor.featureNames()).containsExactly(
                "cat__Deck_9", "cat__Deck_10", "cat__Deck_100", "cat__Code_B", "cat__Code_a", "cat__Code_b");
        assertThat(preprocessor.categoricalColumns().get(0).mostFrequent()).as("9 and 10 tie; 9 is smaller").isEqualTo("9");
        assertThat(preprocessor.categoricalColumns().get(1).mostFrequent()).as("a and b tie").isEqualTo("a");
    }

    @Test
    void constantColumnGetsScaleOne() {
        CsvTable table = table(List.of("Flag", "Sex"), List.of("5", "m"), List.of("5", "f"));
        Preprocessor preprocessor = Preprocessor.fit(table, new PipelineSpec.Features(List.of("Flag"), List.of("Sex")));

        assertThat(preprocessor.numericColumns().get(0).scale()).isEqualTo(1.0);
        assertThat(preprocessor.transform(table)[0][0]).isEqualTo(0.0);
    }

    @Test
    void jsonRoundTripGivesTheSameTransform() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        String json = preprocessor.toJson();

        Preprocessor loaded = Preprocessor.fromJson(json);

        assertThat(loaded).isEqualTo(preprocessor);
        assertThat(loaded.transform(raw)).isDeepEqualTo(preprocessor.transform(raw));
        assertThat(json).contains("\"name\" : \"Age\"", "\"median\" : 28.0", "\"mostFrequent\" : \"3\"",
                "\"categories\" : [ \"female\", \"male\" ]", "\"num__Age\"");
    }

    @Test
    void jsonThatIsNotAPreprocessorIsRefused() {
        assertThatThrownBy(() -> Preprocessor.fromJson("{\"format\": \"other\", \"numeric\": [], \"categorical\": []}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format is 'other'");
        assertThatThrownBy(() -> Preprocessor.fromJson("{\"numeric\": 3}"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("numeric");
    }

    @Test
    void unseenCategoryEncodesAsAllZeros() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        Map<String, Object> record = passenger();
        record.put("Pclass", 4);
        record.put("Sex", "unknown");

        double[] x = preprocessor.transform(record);

        assertThat(x).hasSize(9).endsWith(0.0, 0.0, 0.0, 0.0, 0.0);
    }

    @Test
    void rawRecordMatchesTheCsvTransform() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        // row 0: 0,3,Mr. Owen Harris Braund,male,22,1,0,7.25
        Map<String, Object> record = passenger();

        assertThat(preprocessor.transform(record)).containsExactly(preprocessor.transform(raw)[0]);
        record.put("Pclass", "3");
        record.put("Age", "22.0");
        assertThat(preprocessor.transform(record)).as("numbers as text, 3 as \"3\"").containsExactly(preprocessor.transform(raw)[0]);
        record.put("Age", null);
        assertThat(preprocessor.transform(record)[0]).as("null age is imputed with the median")
                .isEqualTo((28.0 - preprocessor.numericColumns().get(0).mean()) / preprocessor.numericColumns().get(0).scale());
    }

    @Test
    void recordWithoutAColumnOrWithTextForANumberIsNamed() {
        Preprocessor preprocessor = Preprocessor.fit(raw, TitanicData.FEATURES);
        Map<String, Object> record = passenger();
        record.remove("Fare");
        assertThatThrownBy(() -> preprocessor.transform(record))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("no column 'Fare'");

        Map<String, Object> textAge = passenger();
        textAge.put("Age", "twenty-two");
        assertThatThrownBy(() -> preprocessor.transform(textAge))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("numeric feature 'Age' has the non-numeric value 'twenty-two' in the record");
    }

    @Test
    void nonNumericValueInADataFileNamesColumnAndRowButNotTheCell() {
        CsvTable bad = TitanicData.withValue(raw, 4, "Age", "about 30");

        assertThatThrownBy(() -> Preprocessor.fit(bad, TitanicData.FEATURES))
                .isInstanceOf(InvalidDataException.class)
                .hasMessage("numeric feature 'Age' has a non-numeric value in row 5 (line 6 of the CSV)")
                .as("a data file's cells are never quoted").hasMessageNotContaining("about 30");
    }

    @Test
    void entirelyEmptyFeatureColumnIsRefused() {
        CsvTable bad = TitanicData.withColumnEmptied(raw, "Fare");

        assertThatThrownBy(() -> Preprocessor.fit(bad, TitanicData.FEATURES))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("feature column 'Fare' has no values: all 887 rows are empty or NA");
    }

    @Test
    void missingColumnIsNamed() {
        PipelineSpec.Features features = new PipelineSpec.Features(List.of("Age", "Cabin"), List.of("Sex"));

        assertThatThrownBy(() -> Preprocessor.fit(raw, features))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageStartingWith("the data has no column 'Cabin'");
        Preprocessor fitted = Preprocessor.fit(raw, TitanicData.FEATURES);
        CsvTable withoutSex = table(List.of("Age", "Fare"), List.of("1", "2"));
        assertThatThrownBy(() -> fitted.transform(withoutSex))
                .isInstanceOf(InvalidDataException.class).hasMessageStartingWith("the data has no column");
    }

    private static Map<String, Object> passenger() {
        Map<String, Object> record = new HashMap<>();
        record.put("Pclass", 3);
        record.put("Sex", "male");
        record.put("Age", 22);
        record.put("Siblings/Spouses Aboard", 1);
        record.put("Parents/Children Aboard", 0);
        record.put("Fare", 7.25);
        return record;
    }

    @SafeVarargs
    private static CsvTable table(List<String> header, List<String>... rows) {
        return new CsvTable(header, List.of(rows));
    }
}
