package dev.mlops.preprocess.service;

import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.data.CsvTooLargeException;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.model.data.FeatureTable;
import dev.mlops.runtime.stage.InputArtifacts;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads raw/data.csv, prepares the splits and stores them with the fitted preprocessor under preprocess/. */
@ApplicationScoped
public class PreprocessService {

    public static final String RAW_DATA = "raw/data.csv";
    public static final String X_TRAIN = "preprocess/X_train.csv";
    public static final String X_TEST = "preprocess/X_test.csv";
    public static final String Y_TRAIN = "preprocess/y_train.csv";
    public static final String Y_TEST = "preprocess/y_test.csv";
    public static final String PREPROCESSOR = "preprocess/preprocessor.json";
    /** The test rows as ingested (feature columns and target): evaluate scores the production model on them. */
    public static final String TEST_RAW = "preprocess/test_raw.csv";

    private final ArtifactStore store;
    private final WorkLimits limits;

    public PreprocessService(ArtifactStore store, WorkLimits limits) {
        this.store = store;
        this.limits = limits;
    }

    public StageResult preprocess(StageEvent input) {
        PipelineSpec spec = input.spec(); // complete and validated by the stage runner
        URI rawUri = InputArtifacts.uri(input, RAW_DATA, "preprocess");
        CsvTable raw;
        try {
            // ingest checked the size too; an injected event may name a larger file of the run's own
            raw = CsvTable.parse(InputArtifacts.read(store, input, RAW_DATA, "preprocess"), limits.maxDatasetCells());
        } catch (CsvTooLargeException e) {
            throw new StageFailure(rawUri + " is too large: " + e.getMessage() + " (mlops.limits.max-dataset-cells)");
        } catch (CsvFormatException e) {
            throw new StageFailure(rawUri + " is not a CSV file: " + e.getMessage());
        }
        PreparedSplits splits = SplitPreparation.prepare(raw, spec);

        String runId = input.runId();
        var names = splits.preprocessor().featureNames();
        Map<String, String> artifacts = new LinkedHashMap<>();
        artifacts.put(X_TRAIN, putCsv(runId, X_TRAIN, out -> writeFeatures(splits, splits.train(), out)));
        artifacts.put(X_TEST, putCsv(runId, X_TEST, out -> writeFeatures(splits, splits.test(), out)));
        artifacts.put(Y_TRAIN, put(runId, Y_TRAIN, splits.yTrain().toBytes(), "text/csv"));
        artifacts.put(Y_TEST, put(runId, Y_TEST, splits.yTest().toBytes(), "text/csv"));
        artifacts.put(TEST_RAW, putCsv(runId, TEST_RAW, splits.rawTest()::write));
        artifacts.put(PREPROCESSOR, put(runId, PREPROCESSOR,
                splits.preprocessor().toJson().getBytes(StandardCharsets.UTF_8), "application/json"));

        PipelineSpec.Split split = spec.split();
        Map<String, String> params = new LinkedHashMap<>();
        params.put("split_test_size", String.valueOf(split.testSize()));
        params.put("split_seed", String.valueOf(split.seed()));
        params.put("split_fit_on", split.fitOn());
        params.put("split_stratify", String.valueOf(Boolean.TRUE.equals(split.stratify())));
        params.put("feature_names", Json.write(names));
        params.put("task", splits.task().task());
        params.put("task_inferred", String.valueOf(splits.task().inferred()));
        return new StageResult(artifacts,
                Map.of("train_rows", (double) splits.train().rows().size(),
                        "test_rows", (double) splits.test().rows().size(),
                        "features", (double) names.size()),
                params);
    }

    /** The split's rows transformed one at a time, straight into the CSV. */
    private static void writeFeatures(PreparedSplits splits, CsvTable rows, OutputStream out) throws IOException {
        FeatureTable.RowWriter writer = FeatureTable.writer(splits.preprocessor().featureNames(), out);
        try {
            splits.preprocessor().transformEach(rows, writer::writeUnchecked);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        writer.flush();
    }

    /** What writes one CSV artifact. */
    private interface CsvWriter {
        void write(OutputStream out) throws IOException;
    }

    /**
     * Writes a CSV artifact through a temporary file and streams that to the store: a million rows' CSV (hundreds of
     * MB as text) never sits in the heap.
     */
    private String putCsv(String runId, String path, CsvWriter content) {
        Path file = null;
        try {
            file = Files.createTempFile("preprocess-", ".csv");
            try (OutputStream out = Files.newOutputStream(file)) {
                content.write(out);
            }
            return store.put(runId, path, file, "text/csv").toString();
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + path + " to a temporary file", e);
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // a leftover temporary file costs disk, not correctness
                }
            }
        }
    }

    private String put(String runId, String path, byte[] content, String contentType) {
        return store.put(runId, path, content, contentType).toString();
    }
}
