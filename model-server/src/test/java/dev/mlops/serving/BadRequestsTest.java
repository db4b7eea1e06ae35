package dev.mlops.serving;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.mlops.serving.ScoringRequests.json;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Each kind of bad scoring request answers its status with MLflow's {"error_code", "message"} naming the problem. */
@QuarkusTest
@TestProfile(FolderModelProfile.class)
class BadRequestsTest {

    @TestHTTPResource("/invocations")
    URI invocations;

    static final Map<String, Object> PASSENGER = Map.of("Pclass", 3, "Sex", "male", "Age", 22,
            "Siblings/Spouses Aboard", 1, "Parents/Children Aboard", 0, "Fare", 7.25);

    @Test
    void jsonWithNoneOfTheFormatKeys() {
        post("{\"records\": [{\"Age\": 22}]}", "application/json")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", allOf(containsString("unknown input format"), containsString("[records]"),
                        containsString("dataframe_split"), containsString("instances")));
    }

    @Test
    void jsonWithTwoFormatKeys() {
        post(json(Map.of("instances", List.of(PASSENGER), "inputs", List.of(PASSENGER))), "application/json")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", containsString("ambiguous input format"));
    }

    @Test
    void jsonThatIsNotAnObject() {
        post("[1, 2, 3]", "application/json")
                .statusCode(400).body("message", containsString("must be an object with one of the keys"));
    }

    @Test
    void rawRecordMissingAColumnNamesIt() {
        Map<String, Object> noAge = new HashMap<>(PASSENGER);
        noAge.remove("Age");

        post(json(Map.of("instances", List.of(noAge))), "application/json")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", allOf(containsString("missing column 'Age'"), containsString("input columns")));
    }

    @Test
    void featureRecordMissingAFeatureColumnNamesIt() {
        Map<String, Object> features = new LinkedHashMap<>();
        for (String column : List.of("num__Age", "num__Fare", "num__Siblings/Spouses Aboard", "num__Parents/Children Aboard",
                "cat__Pclass_1", "cat__Pclass_2", "cat__Pclass_3", "cat__Sex_female")) {
            features.put(column, 0.0);
        }

        post(json(Map.of("inputs", List.of(features))), "application/json")
                .statusCode(400).body("message", containsString("missing column 'cat__Sex_male'"));
    }

    @Test
    void recordWithoutAColumnOtherRecordsHaveNamesTheRow() {
        Map<String, Object> noFare = new HashMap<>(PASSENGER);
        noFare.remove("Fare");

        post(json(Map.of("dataframe_records", List.of(PASSENGER, noFare))), "application/json")
                .statusCode(400).body("message", allOf(containsString("row 2 has no column 'Fare'"), containsString("null")));
    }

    @Test
    void textInANumericColumnNamesColumnAndValue() {
        Map<String, Object> oldAge = new HashMap<>(PASSENGER);
        oldAge.put("Age", "old");

        post(json(Map.of("instances", List.of(PASSENGER, oldAge))), "application/json")
                .statusCode(400).body("error_code", equalTo("INVALID_PARAMETER_VALUE"))
                .body("message", containsString("column 'Age' has the value 'old' in row 2: expected a number"));
    }

    @Test
    void objectInAColumnNamesIt() {
        Map<String, Object> nested = new HashMap<>(PASSENGER);
        nested.put("Sex", Map.of("value", "male"));

        post(json(Map.of("instances", List.of(nested))), "application/json")
                .statusCode(400).body("message", containsString("column 'Sex' has the value a JSON object or list in row 1"));
    }

    @Test
    void textOrNullInAFeatureColumn() {
        String columns = "[\"num__Age\", \"num__Fare\", \"num__Siblings/Spouses Aboard\", \"num__Parents/Children Aboard\","
                + " \"cat__Pclass_1\", \"cat__Pclass_2\", \"cat__Pclass_3\", \"cat__Sex_female\", \"cat__Sex_male\"]";

        post("{\"dataframe_split\": {\"columns\": " + columns + ", \"data\": [[\"abc\", 0, 0, 0, 0, 0, 1, 0, 1]]}}", "application/json")
                .statusCode(400).body("message", containsString("column 'num__Age' has the value 'abc' in row 1"));
        post("{\"dataframe_split\": {\"columns\": " + columns + ", \"data\": [[0, null, 0, 0, 0, 0, 1, 0, 1]]}}", "application/json")
                .statusCode(400).body("message", containsString("feature column 'num__Fare' is empty in row 1"));
    }

    @Test
    void rowsOfTheWrongLength() {
        post("{\"instances\": [[1, 2, 3]]}", "application/json")
                .statusCode(400).body("message", allOf(containsString("row 1 has 3 values"), containsString("9 feature columns")));
        post("{\"dataframe_split\": {\"columns\": [\"Age\", \"Sex\"], \"data\": [[22]]}}", "application/json")
                .statusCode(400).body("message", containsString("row 1 has 1 values for 2 columns"));
    }

    @Test
    void emptyListsAndBodies() {
        post("{\"instances\": []}", "application/json")
                .statusCode(400).body("message", containsString("'instances' is empty"));
        post("", "application/json")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", containsString("the request body is empty"));
        post("  \n", "text/csv")
                .statusCode(400).body("message", containsString("the request body is empty"));
    }

    @Test
    void malformedJsonSaysWhere() {
        post("{\"instances\": [{\"Age\": 22,}]}", "application/json")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", containsString("malformed JSON at line 1, column"));
        post("{\"instances\": []} trailing", "application/json")
                .statusCode(400).body("message", containsString("malformed JSON"));
    }

    @Test
    void malformedCsv() {
        post("Pclass,Sex,Age\n3,male\n", "text/csv")
                .statusCode(400).body("message", allOf(containsString("invalid CSV"), containsString("line 2 has 2 fields")));
        post("Pclass,Sex,Age\n", "text/csv")
                .statusCode(400).body("message", containsString("no rows"));
    }

    @Test
    void oversizedBodyAnswers413WithTheLimit() {
        StringBuilder body = new StringBuilder("{\"instances\": [");
        String record = json(PASSENGER);
        while (body.length() <= FolderModelProfile.MAX_REQUEST_BYTES) {
            body.append(record).append(',');
        }
        body.append(record).append("]}");

        post(body.toString(), "application/json")
                .statusCode(413).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", allOf(containsString("more than the limit of " + FolderModelProfile.MAX_REQUEST_BYTES),
                        containsString("mlops.serving.max-request-size")));
    }

    @Test
    void tenThousandLevelsOfNestingInEveryFormatAnswer400WithoutAStackTrace() throws Exception {
        // hostile input: {"inputs": [[[[...]]]]} 10,000 levels deep (a NullPointerException and a 500 before)
        for (String format : List.of("inputs", "dataframe_records", "instances", "dataframe_split")) {
            String nested = "[".repeat(10_000) + "]".repeat(10_000);
            String body = format.equals("dataframe_split") ? "{\"dataframe_split\": {\"data\": " + nested + "}}"
                    : "{\"" + format + "\": " + nested + "}";

            // the JDK client: REST Assured takes about 15 s to send such a body
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(invocations)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).as(format).isEqualTo(400);
            assertThat(ScoringRequests.tree(response.body()).path("error_code").asText()).isEqualTo("BAD_REQUEST");
            assertThat(ScoringRequests.tree(response.body()).path("message").asText())
                    .contains("the JSON body nests deeper than 64 levels");
            assertThat(response.body()).as(format).doesNotContain("Exception", "\tat ", "jackson");
        }
        post(json(Map.of("instances", List.of(PASSENGER))), "application/json").statusCode(200);
    }

    @Test
    void aNumberOfThousandsOfDigitsAnswers400NamingTheLimit() {
        post("{\"instances\": [[" + "9".repeat(5000) + "]]}", "application/json")
                .statusCode(400).body("error_code", equalTo("BAD_REQUEST"))
                .body("message", containsString("a number or a key longer than the parser accepts (at most 1000 characters"));
    }

    @Test
    void chunkedBodyOverTheLimitAnswers413InTheErrorShape() throws Exception {
        // hostile input: an HTTP/1.1 chunked body (no Content-Length) of twice the limit
        byte[] body = new byte[2 * FolderModelProfile.MAX_REQUEST_BYTES];
        java.util.Arrays.fill(body, (byte) ' ');
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(invocations)
                .version(HttpClient.Version.HTTP_1_1).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(ScoringRequests.tree(response.body()).path("error_code").asText()).isEqualTo("BAD_REQUEST");
        assertThat(response.body()).contains("more than the limit of " + FolderModelProfile.MAX_REQUEST_BYTES,
                "mlops.serving.max-request-size");
        post(json(Map.of("instances", List.of(PASSENGER))), "application/json").statusCode(200);
    }

    @Test
    void unsupportedContentTypeAnswers415() {
        post(json(Map.of("instances", List.of(PASSENGER))), "text/plain")
                .statusCode(415).body("error_code", equalTo("UNSUPPORTED_MEDIA_TYPE"))
                .body("message", allOf(containsString("'text/plain'"), containsString("application/json or text/csv")));
    }

    @Test
    void missingContentTypeAnswers415() throws Exception {
        // REST Assured always sends some Content-Type; the JDK client sends none unless told
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(invocations)
                .POST(HttpRequest.BodyPublishers.ofString(json(Map.of("instances", List.of(PASSENGER))))).build(),
                HttpResponse.BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(415);
        assertThat(response.body()).contains("\"error_code\":\"UNSUPPORTED_MEDIA_TYPE\"", "the request has no Content-Type");
    }

    private static ValidatableResponse post(String body, String contentType) {
        return given().contentType(contentType).body(body).post("/invocations").then()
                .contentType("application/json");
    }
}
