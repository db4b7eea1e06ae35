package dev.mlops.ingest.service;

import dev.mlops.common.text.UrlCredentials;
import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.data.CsvTooLargeException;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.StageResult;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.store.ArtifactStore;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.stage.StageFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Fetches the run's dataset, checks it is CSV with the spec's columns and within mlops.limits.max-dataset-cells, and
 * stores it as raw/data.csv. Errors never quote the file's content: the dataset may be any file a user pointed at,
 * so at most its column names are shown, and only when the file shares a column with the spec.
 */
@ApplicationScoped
public class IngestService {

    public static final String RAW_DATA = "raw/data.csv";

    private final DatasetFetcher fetcher;
    private final ArtifactStore store;
    private final WorkLimits limits;

    public IngestService(DatasetFetcher fetcher, ArtifactStore store, WorkLimits limits) {
        this.fetcher = fetcher;
        this.store = store;
        this.limits = limits;
    }

    public StageResult ingest(StageEvent input) {
        PipelineSpec spec = input.spec();
        URI source = URI.create(spec.dataset().uri()); // a valid URI: the stage runner validated the spec
        byte[] content = fetcher.fetch(source);
        CsvTable table = checkSchema(content, spec, source);
        URI stored = store.put(input.runId(), RAW_DATA, content, "text/csv");
        String sha256 = sha256(content);
        return new StageResult(
                Map.of(RAW_DATA, stored.toString()),
                Map.of("dataset_rows", (double) table.rows().size(), "dataset_columns", (double) table.header().size()),
                Map.of("dataset_uri", UrlCredentials.hidden(source), "dataset_sha256", sha256,
                        "dataset_rows", String.valueOf(table.rows().size()),
                        "dataset_columns", String.valueOf(table.header().size())));
    }

    private CsvTable checkSchema(byte[] content, PipelineSpec spec, URI source) {
        CsvTable table;
        try {
            table = CsvTable.parse(content, limits.maxDatasetCells());
        } catch (CsvTooLargeException e) {
            throw new StageFailure("dataset " + source + " is larger than the limit of " + e.maxCells()
                    + " cells (rows × columns; mlops.limits.max-dataset-cells, env MLOPS_LIMITS_MAX_DATASET_CELLS)");
        } catch (CsvFormatException e) {
            throw new StageFailure("dataset " + source + " is not a CSV file: " + e.getMessage());
        }
        if (table.rows().isEmpty()) {
            throw new StageFailure("dataset " + source + " has a header but no rows");
        }
        List<String> missing = new ArrayList<>();
        if (table.columnIndex(spec.target()) < 0) {
            missing.add("target column " + Text.quote("'" + spec.target() + "'"));
        }
        for (String feature : spec.features().all()) {
            if (table.columnIndex(feature) < 0) {
                missing.add("feature column " + Text.quote("'" + feature + "'"));
            }
        }
        if (!missing.isEmpty()) {
            boolean sharesAColumn = table.columnIndex(spec.target()) >= 0
                    || spec.features().all().stream().anyMatch(feature -> table.columnIndex(feature) >= 0);
            throw new StageFailure("dataset " + source + " lacks " + String.join(", ", missing) + " ("
                    + (sharesAColumn ? "its " + table.describeColumns()
                    : "it has none of the spec's columns among its " + table.header().size() + " columns") + ")");
        }
        return table;
    }

    static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
