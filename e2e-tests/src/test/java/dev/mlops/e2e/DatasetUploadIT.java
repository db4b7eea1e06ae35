package dev.mlops.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./mlops run --dataset FILE}: a CSV anywhere on the user's disk (here outside every {@code file:} root ingest
 * reads) is uploaded to the artifact bucket, and the run reads it from there and succeeds.
 */
@ExtendWith(LocalPlatform.class)
class DatasetUploadIT {

    final LocalPlatform.Platform platform = LocalPlatform.platform();

    @Test
    void aCsvFromAnywhereOnDiskIsUploadedAndRunOn() throws Exception {
        List<String> titanic = Files.readAllLines(LocalPlatform.HOME.resolve("data/titanic.csv"));
        Path folder = Files.createTempDirectory("not-a-file-root");
        Path csv = folder.resolve("first 400 passengers.csv");
        Files.write(csv, titanic.subList(0, 401));
        Path spec = folder.resolve("spec.json");
        Files.writeString(spec, """
                {"name": "uploaded-dataset",
                 "model": {"cv": 3, "grid": {"n_estimators": [20], "max_depth": [5], "min_samples_split": [2],
                                             "min_samples_leaf": [1]}},
                 "deploy": {"target": "none"}}""");

        assertThat(platform.mlops().execute("run", "--dataset", csv.toString(), spec.toString()))
                .as("./mlops run --dataset").isZero();

        JsonNode newest = platform.tracking().get("/pipelines?size=1").path("runs").get(0);
        assertThat(newest.path("name").asText()).isEqualTo("uploaded-dataset");
        JsonNode run = platform.tracking().run(newest.path("runId").asText());
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.path("params").path("dataset_uri").asText())
                .matches("s3://mlops-artifacts/datasets/[0-9a-f]{16}/first_400_passengers\\.csv");
        assertThat(run.path("params").path("dataset_rows").asText()).isEqualTo("400");
    }
}
