package dev.mlops.bench;

import dev.mlops.common.data.CsvTable;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.model.data.TrainTestSplit;
import dev.mlops.model.preprocess.Preprocessor;
import dev.mlops.testing.InstancesBodies;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Request bodies of the published test split's 9 preprocessed columns (preprocessor fitted on all rows, 80/20
 * split, seed 42), written as {@link InstancesBodies} for the reference's {@code wrk_post.lua}.
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
        return InstancesBodies.write(file, records, perRequest, perRequest == 1 ? records.size() : 16);
    }
}
