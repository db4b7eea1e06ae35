package dev.mlops.ingest;

import dev.mlops.testing.KafkaResource;
import dev.mlops.testing.S3Resource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static dev.mlops.ingest.TestDatasets.TITANIC;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Datasets an attacker with a valid token would point ingest at (issue 17): a hard link to a file outside the roots,
 * files holding a secret, a file too large to hold as cells. Each run fails at ingest with an error that names the
 * problem and quotes nothing of the file, nothing is stored, and the next normal dataset still ingests.
 */
@QuarkusTest
@QuarkusTestResource(KafkaResource.class)
@QuarkusTestResource(S3Resource.class)
class HostileDatasetTest {

    static final String TOKEN = "ghp_s3cr3tT0kenThatMustNeverBeEchoed0123";

    @Inject
    IngestRuns runs;

    @AfterEach
    void aNormalDatasetStillIngests() {
        assertThat(runs.completed("file:" + TITANIC).params()).containsEntry("dataset_rows", "887");
    }

    @Test
    @DisplayName("a hard link inside a file root to a file outside every root is refused")
    void hardLinkToAFileOutsideTheRootsIsRefused() throws IOException {
        Path outside = TestDatasets.outsideTheRoots();
        Path link = TestDatasets.ROOT.resolve("hard-link-to-outside.csv");
        Files.deleteIfExists(link);
        Files.createLink(link, outside);

        IngestRuns.Failure failure = runs.failed("file:" + link);

        assertThat(failure.error()).isEqualTo("dataset file " + link + " refused: it has 2 hard links, and ingest"
                + " reads only files with one (another name of the same file may be outside the allowed file roots);"
                + " copy the file into a file root instead of linking it");
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
    }

    @Test
    @DisplayName("a .git-credentials-like file (one line, a token) fails without quoting the token")
    void oneLineSecretFileIsNotEchoed() {
        Path credentials = TestDatasets.inRoot("git-credentials-one",
                ("https://alice:" + TOKEN + "@github.com\n").getBytes(StandardCharsets.UTF_8));

        String error = runs.failed("file:" + credentials).error();

        assertThat(error).isEqualTo("dataset file:" + credentials + " has a header but no rows");
    }

    @Test
    @DisplayName("a secret file of several lines parses as CSV, yet its first line is not shown as a column name")
    void multiLineSecretFileIsNotEchoed() {
        Path credentials = TestDatasets.inRoot("git-credentials-two", ("https://alice:" + TOKEN + "@github.com\n"
                + "https://bob:another-token@gitlab.com\n").getBytes(StandardCharsets.UTF_8));

        String error = runs.failed("file:" + credentials).error();

        assertThat(error).doesNotContain(TOKEN).doesNotContain("another-token")
                .contains("lacks target column 'Survived'")
                .endsWith("(it has none of the spec's columns among its 1 columns)");
    }

    @Test
    @DisplayName("a file that is not CSV (a line with more fields than the header, holding a secret) is not echoed")
    void notCsvIsRefusedWithoutItsContent() {
        Path env = TestDatasets.inRoot("dot-env", ("API_KEY\n" + TOKEN + ",extra\n").getBytes(StandardCharsets.UTF_8));

        String error = runs.failed("file:" + env).error();

        assertThat(error).isEqualTo("dataset file:" + env + " is not a CSV file: line 2 has 2 fields, the header"
                + " has 1");
    }

    @Test
    @DisplayName("a dataset that shares columns with the spec lists its column names, escaped")
    void columnNamesAreListedEscapedWhenTheFileIsADataset() {
        Path renamed = TestDatasets.inRoot("renamed-target.csv", ("Pclass,Sex,Age,Fare,Siblings/Spouses Aboard,"
                + "Parents/Children Aboard,\"Survived\nforged log line\"\n3,male,22,7.25,1,0,0\n")
                .getBytes(StandardCharsets.UTF_8));

        String error = runs.failed("file:" + renamed).error();

        assertThat(error).contains("lacks target column 'Survived'")
                .contains("'Survived\\nforged log line'")
                .doesNotContain("\n")
                .doesNotContain("male");
    }

    @Test
    @DisplayName("10,400 cells (1,300 Titanic rows) over mlops.limits.max-dataset-cells=10000 are refused")
    void datasetOverTheCellLimitIsRefusedNamingTheLimit() throws IOException {
        StringBuilder big = new StringBuilder(Files.readAllLines(TITANIC).get(0)).append('\n');
        String row = Files.readAllLines(TITANIC).get(1);
        for (int i = 0; i < 1_300; i++) {
            big.append(row).append('\n');
        }
        Path tooBig = TestDatasets.inRoot("too-many-cells.csv", big.toString().getBytes(StandardCharsets.UTF_8));

        IngestRuns.Failure failure = runs.failed("file:" + tooBig);

        assertThat(failure.error()).isEqualTo("dataset file:" + tooBig + " is larger than the limit of 10000 cells"
                + " (rows × columns; mlops.limits.max-dataset-cells, env MLOPS_LIMITS_MAX_DATASET_CELLS)");
        assertThat(runs.storedObjects(failure.runId())).isEmpty();
    }
}
