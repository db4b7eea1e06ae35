package dev.mlops.serving;

import dev.mlops.common.data.CsvTable;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.mlops.serving.ScoringRequests.json;
import static io.restassured.RestAssured.given;
import static io.restassured.RestAssured.when;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

/** A model read at start-up from run artifacts in a real S3 server answers like the bundle in-process. */
@QuarkusTest
@TestProfile(S3ModelProfile.class)
class S3ModelTest {

    @Test
    void servesTheRunsBundleFromS3() {
        CsvTable raw = TestModel.raw();
        List<Object> expected = ScoringRequests.expected(TestModel.bundle(), raw);

        String answer = given().contentType("application/json")
                .body(json(Map.of("dataframe_records", ScoringRequests.rawRecords(raw))))
                .post("/invocations").then().statusCode(200).extract().asString();

        List<Object> predictions = new ArrayList<>();
        ScoringRequests.tree(answer).get("predictions").forEach(node -> predictions.add(node.intValue()));
        assertThat(predictions).isEqualTo(expected);
        when().get("/version").then().statusCode(200)
                .body("runId", equalTo(TestModel.RUN_ID))
                .body("modelUri", startsWith("s3://mlops-artifacts/runs/" + TestModel.RUN_ID + "/model"));
    }
}
