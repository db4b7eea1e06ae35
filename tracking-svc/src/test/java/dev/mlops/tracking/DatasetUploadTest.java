package dev.mlops.tracking;

import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.store.ArtifactUri;
import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.PostgresResource;
import dev.mlops.testing.S3Resource;
import dev.mlops.tracking.repository.ArtifactObjects;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.matchesPattern;

/**
 * A CSV from the user's disk: POST /datasets stores it in the artifact bucket, where a run reads it by its s3:// URI;
 * what is not a CSV dataset, or is over the limit (2M in tests), is refused naming why, and nothing is stored.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(S3Resource.class)
class DatasetUploadTest {

    static final Path TITANIC = Path.of("../data/titanic.csv");

    @Inject
    ArtifactStore store;

    @Inject
    ArtifactObjects objects;

    @Test
    void anUploadedCsvIsStoredByContentAndARunAcceptsItsUri() throws IOException {
        byte[] csv = Files.readAllBytes(TITANIC);

        Response first = upload("titanic.csv", csv);
        first.then().statusCode(201)
                .body("uri", matchesPattern("s3://" + store.bucket() + "/datasets/[0-9a-f]{16}/titanic\\.csv"))
                .body("bytes", equalTo(csv.length))
                .body("columns", hasItems("Survived", "Pclass", "Sex"));
        String uri = first.path("uri");
        assertThat(store.read(URI.create(uri))).isEqualTo(csv);
        assertThat(upload("titanic.csv", csv).<String>path("uri")).as("the same file again").isEqualTo(uri);

        given().contentType(ContentType.JSON)
                .body("{\"dataset\": {\"uri\": \"" + uri + "\"}, \"deploy\": {\"target\": \"none\"}}")
                .when().post("/pipelines").then().statusCode(202);
    }

    @Test
    void whatIsNotACsvDatasetIsRefusedNamingWhyAndNothingIsStored() {
        byte[] csv = "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8);
        int before = storedDatasets();
        // tried: no name, a path, another extension; a binary file, one column, a header only, an empty file
        given().contentType("text/csv").body(csv).when().post("/datasets").then().statusCode(400)
                .body("field", equalTo("name"));
        for (String name : new String[] {"../escape.csv", "data.txt", "a b.csv", ".csv"}) {
            upload(name, csv).then().statusCode(400).body("field", equalTo("name"))
                    .body("message", containsString("ending in .csv"));
        }
        upload("binary.csv", new byte[] {'a', ',', 'b', '\n', 0, 1, 2, '\n'}).then().statusCode(400)
                .body("field", equalTo("file")).body("message", containsString("binary"));
        upload("one-column.csv", "a\n1\n2\n".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .body("field", equalTo("file")).body("message", containsString("1 column(s)"));
        upload("header-only.csv", "a,b\n".getBytes(StandardCharsets.UTF_8)).then().statusCode(400)
                .body("message", containsString("0 data row(s)"));
        upload("empty.csv", new byte[0]).then().statusCode(400).body("message", containsString("empty"));

        assertThat(storedDatasets()).as("datasets stored").isEqualTo(before);
    }

    @Test
    void aFileOverTheLimitIs413WhetherItsLengthIsDeclaredOrNot() {
        byte[] big = new byte[3 * 1024 * 1024];
        Arrays.fill(big, (byte) '1');
        int before = storedDatasets();
        // tried: 3 MiB with its Content-Length (refused before it is read), then the same chunked (refused at 2 MiB)
        upload("big.csv", big).then().statusCode(413).body("error_code", equalTo("REQUEST_TOO_LARGE"))
                .body("message", containsString("mlops.datasets.max-upload-bytes"));
        given().contentType("text/csv").body(new ByteArrayInputStream(big)).queryParam("name", "big-chunked.csv")
                .when().post("/datasets").then().statusCode(413)
                .body("message", containsString("nothing was stored"));

        assertThat(storedDatasets()).as("datasets stored").isEqualTo(before);
    }

    private int storedDatasets() {
        return objects.list(new ArtifactUri(store.bucket(), "datasets")).size();
    }

    private static Response upload(String name, byte[] content) {
        return given().contentType("text/csv").body(content).queryParam("name", name).when().post("/datasets");
    }
}
