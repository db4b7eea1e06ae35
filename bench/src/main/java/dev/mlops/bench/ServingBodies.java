package dev.mlops.bench;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.preprocess.Preprocessor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies as the reference's {@code make_wrk_bodies.py} writes them: {@code {"instances": [records of the 9
 * preprocessed columns]}} of the published test split (preprocessor fitted on all rows, 80/20 split, seed 42),
 * one JSON document per line; request k holds rows k*n .. k*n+n-1, wrapping around.
 */
final class ServingBodies {

    private final List<Map<String, Object>> records;

    private ServingBodies(List<Map<String, Object>> records) {
        this.records = records;
    }

    static ServingBodies publishedTestSplit(Path titanicCsv) throws IOException {
        CsvTable raw = CsvTable.parse(Files.readAllBytes(titanicCsv));
        Preprocessor preprocessor = Preprocessor.fit(raw, PipelineSpec.defaults("file:/unused").features());
        double[][] x = preprocessor.transform(raw);
        List<String> columns = preprocessor.featureNames();
        List<Map<String, Object>> records = new ArrayList<>();
        for (int row : TrainTestSplit.shuffle(x.length, 0.2, 42).test()) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) {
                record.put(columns.get(j), x[row][j]);
            }
            records.add(record);
        }
        return new ServingBodies(records);
    }

    int rows() {
        return records.size();
    }

    /** {@code count} bodies of {@code perRequest} records; one per test row for single records, else 16 as the reference. */
    Path write(Path file, int perRequest) throws IOException {
        int count = perRequest == 1 ? records.size() : 16;
        List<String> lines = new ArrayList<>();
        for (int k = 0; k < count; k++) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (int i = 0; i < perRequest; i++) {
                rows.add(records.get((k * perRequest + i) % records.size()));
            }
            lines.add(Json.write(Map.of("instances", rows)));
        }
        Files.createDirectories(file.getParent());
        return Files.write(file, lines);
    }
}
