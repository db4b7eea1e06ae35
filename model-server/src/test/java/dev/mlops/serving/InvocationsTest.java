package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.data.CsvTable;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.serving.rest.InvocationsResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mlops.serving.ScoringRequests.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scoring format MLflow's server takes gives the predictions the bundle gives in-process for the same rows,
 * whether the client sends raw passenger records or preprocessed feature columns.
 */
@QuarkusTest
@TestProfile(FolderModelProfile.class)
class InvocationsTest {

    /** All 887 rows of the shipped CSV, with Age emptied in row 6 so that imputation is part of the comparison. */
    static final CsvTable RAW = withMissingAge(TestModel.raw(), 5);

    @ConfigProperty(name = "mlops.model.uri")
    String modelUri;

    ModelBundle bundle;
    List<Object> expected;

    @BeforeEach
    void loadTheServedBundle() throws Exception {
        bundle = ModelBundle.readFrom(Path.of(modelUri.substring("file:".length())));
        expected = ScoringRequests.expected(bundle, RAW);
    }

    @Test
    void expectationsCoverBothClasses() {
        assertThat(expected).contains(0, 1).hasSize(887);
    }

    @Test
    void dataframeSplitOfRawColumnsIgnoresExtraColumns() {
        // every CSV column, so Name and even Survived travel along and are ignored
        String body = json(Map.of("dataframe_split", Map.of("columns", RAW.header(), "data", ScoringRequests.rawRows(RAW))));

        assertThat(predictions(body, "application/json")).isEqualTo(expected);
    }

    @Test
    void dataframeRecordsOfRawColumns() {
        String body = json(Map.of("dataframe_records", ScoringRequests.rawRecords(RAW)));

        assertThat(predictions(body, "application/json")).isEqualTo(expected);
    }

    /**
     * Input: the first 20 rows one request each (bodies under {@code EVENT_LOOP_BODY_BYTES}, scored on the event loop)
     * and all 887 in one request (over it, scored on a worker thread): the same predictions either way.
     */
    @Test
    void smallBodiesOnTheEventLoopAndALargeOneOnAWorkerAnswerAlike() {
        var records = ScoringRequests.rawRecords(RAW);
        String all = json(Map.of("instances", records));
        assertThat(all.length()).isGreaterThan(InvocationsResource.EVENT_LOOP_BODY_BYTES);
        List<Object> oneByOne = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String one = json(Map.of("instances", records.subList(i, i + 1)));
            assertThat(one.length()).isLessThan(InvocationsResource.EVENT_LOOP_BODY_BYTES);
            oneByOne.addAll(predictions(one, "application/json"));
        }
        assertThat(oneByOne).isEqualTo(expected.subList(0, 20));
        assertThat(predictions(all, "application/json")).isEqualTo(expected);
    }

    @Test
    void instancesOfRawRecords() {
        String body = json(Map.of("instances", ScoringRequests.rawRecords(RAW)));

        assertThat(predictions(body, "application/json; charset=utf-8")).isEqualTo(expected);
    }

    @Test
    void inputsAsColumnsOfValues() {
        Map<String, List<Object>> columns = new LinkedHashMap<>();
        for (Map<String, Object> record : ScoringRequests.rawRecords(RAW)) {
            record.forEach((column, value) -> columns.computeIfAbsent(column, c -> new ArrayList<>()).add(value));
        }

        assertThat(predictions(json(Map.of("inputs", columns)), "application/json")).isEqualTo(expected);
    }

    @Test
    void inputsAsOneRecord() {
        Map<String, Object> first = ScoringRequests.rawRecords(RAW).get(0);

        assertThat(predictions(json(Map.of("inputs", first)), "application/json")).containsExactly(expected.get(0));
    }

    @Test
    void rowsInTheSignaturesInputOrder() {
        List<String> inputs = bundle.signature().inputColumns();
        List<List<Object>> rows = ScoringRequests.rawRecords(RAW).stream()
                .map(r -> inputs.stream().map(r::get).toList()).toList();

        assertThat(predictions(json(Map.of("instances", rows)), "application/json")).isEqualTo(expected);
    }

    @Test
    void csvOfRawColumns() {
        assertThat(predictions(new String(RAW.toBytes()), "text/csv")).isEqualTo(expected);
    }

    @Test
    void preprocessedFeatureRecordsAsThePublishedInferenceTestSendsThem() {
        String body = json(Map.of("inputs", ScoringRequests.featureRecords(bundle, RAW)));

        assertThat(predictions(body, "application/json")).isEqualTo(expected);
    }

    @Test
    void preprocessedFeatureRowsInFeatureOrder() {
        String body = json(Map.of("instances", ScoringRequests.features(bundle, RAW)));

        assertThat(predictions(body, "application/json")).isEqualTo(expected);
    }

    @Test
    void preprocessedFeaturesAsDataframeSplitAndCsv() {
        List<String> columns = bundle.signature().featureColumns();
        double[][] x = ScoringRequests.features(bundle, RAW);
        String split = json(Map.of("dataframe_split", Map.of("columns", columns, "data", x)));
        List<List<String>> rows = new ArrayList<>();
        for (double[] row : x) {
            rows.add(java.util.Arrays.stream(row).mapToObj(Double::toString).toList());
        }
        String csv = new String(new CsvTable(columns, rows).toBytes());

        assertThat(predictions(split, "application/json")).isEqualTo(expected);
        assertThat(predictions(csv, "text/csv")).isEqualTo(expected);
    }

    @Test
    void answersLabelsAsNumbersLikeTheReferenceServer() {
        String answer = given().contentType("application/json")
                .body(json(Map.of("instances", ScoringRequests.rawRecords(RAW).subList(0, 2))))
                .post("/invocations").then().statusCode(200).contentType("application/json").extract().asString();

        JsonNode predictions = ScoringRequests.tree(answer).get("predictions");
        assertThat(predictions.isArray()).isTrue();
        assertThat(predictions.get(0).isInt()).as(answer).isTrue();
    }

    private static List<Object> predictions(String body, String contentType) {
        Response response = given().contentType(contentType).body(body).post("/invocations");
        assertThat(response.statusCode()).as(response.asString()).isEqualTo(200);
        List<Object> predictions = new ArrayList<>();
        ScoringRequests.tree(response.asString()).get("predictions").forEach(node -> predictions.add(node.intValue()));
        return predictions;
    }

    private static CsvTable withMissingAge(CsvTable table, int row) {
        List<List<String>> rows = new ArrayList<>(table.rows());
        List<String> changed = new ArrayList<>(rows.get(row));
        changed.set(table.columnIndex("Age"), "");
        rows.set(row, changed);
        return new CsvTable(table.header(), rows);
    }
}
