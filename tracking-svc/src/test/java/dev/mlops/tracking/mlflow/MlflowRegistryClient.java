package dev.mlops.tracking.mlflow;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

import java.util.UUID;

import static io.restassured.RestAssured.given;

/** The registry writes MLflow's Java client lacks, sent as MLflow's Python client sends them (JSON bodies). */
final class MlflowRegistryClient {

    static final String API = "/api/2.0/mlflow/";

    private MlflowRegistryClient() {
    }

    static Response post(String endpoint, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(API + endpoint);
    }

    static Response patch(String endpoint, String body) {
        return given().contentType(ContentType.JSON).body(body).when().patch(API + endpoint);
    }

    static Response delete(String endpoint, String body) {
        return given().contentType(ContentType.JSON).body(body).when().delete(API + endpoint);
    }

    static void createModel(String name) {
        post("registered-models/create", "{\"name\": \"" + name + "\"}").then().statusCode(200);
    }

    /** @return the new version's number */
    static String createVersion(String name, String source) {
        return post("model-versions/create", "{\"name\": \"" + name + "\", \"source\": \"" + source + "\"}")
                .then().statusCode(200).extract().path("model_version.version");
    }

    static String uniqueName(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
