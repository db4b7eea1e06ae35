package dev.mlops.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.common.json.Json;
import dev.mlops.testing.SklearnScript;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** sklearn_models.py itself, with Debian's python3-sklearn (skipped without it): what the models section reads. */
class SklearnModelsTest {

    static final Path HOME = Path.of("").toAbsolutePath().getParent();

    @Test
    void exportWritesBothDataSetsAsCsvAndFitScoresTheTestSplitOfTheSameRows(@TempDir Path work) throws Exception {
        assumeTrue(SklearnScript.pythonHasSklearn(), "/usr/bin/python3 without sklearn");
        SklearnModels sklearn = new SklearnModels(HOME, work);

        JsonNode datasets = sklearn.export().path("datasets");
        assertThat(datasets.path("breast_cancer").path("rows").asInt()).isEqualTo(569);
        assertThat(datasets.path("breast_cancer").path("features")).hasSize(30);
        assertThat(datasets.path("diabetes").path("task").asText()).isEqualTo("regression");
        Path csv = Path.of(datasets.path("breast_cancer").path("csv").asText());
        List<String> lines = Files.readAllLines(csv);
        assertThat(lines).hasSize(1 + 569);
        assertThat(lines.get(0)).startsWith("mean radius,").endsWith(",target");
        assertThat(lines.get(1)).endsWith(",0");
        assertThat(Files.readAllLines(work.resolve("diabetes.csv")).get(1)).endsWith(",151.0");

        ModelComparison logistic = ModelComparison.ALL.stream()
                .filter(c -> c.type().equals("logistic_regression")).findFirst().orElseThrow();
        JsonNode theirs = sklearn.fit(logistic, csv);
        assertThat(theirs.path("train_size").asInt()).isEqualTo(455);
        assertThat(theirs.path("test_size").asInt()).as("ceil(0.2 x 569), as TrainTestSplit").isEqualTo(114);
        assertThat(theirs.path("param_grid")).isEqualTo(logistic.grid());
        assertThat(theirs.path("accuracy").asDouble()).isBetween(0.9, 1.0);
        List<Figure> figures = logistic.figures(Json.tree("{\"accuracy\": " + theirs.path("accuracy").asDouble()
                + ", \"grid_search_seconds\": 1.0}"), theirs);
        assertThat(figures.get(0).met()).isTrue();
        assertThat(figures.get(1).reference()).isPositive();
    }
}
