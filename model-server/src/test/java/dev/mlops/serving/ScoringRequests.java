package dev.mlops.serving;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.common.data.CsvTable;
import dev.mlops.model.bundle.ModelBundle;
import dev.mlops.model.data.Labels;
import dev.mlops.model.data.Values;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Request bodies built from CSV rows, and the predictions the bundle gives in-process for the same rows. */
public final class ScoringRequests {

    public static final ObjectMapper JSON = new ObjectMapper();

    private ScoringRequests() {
    }

    /** The labels the bundle predicts in-process, as the server answers them (numbers for 0/1). */
    public static List<Object> expected(ModelBundle bundle, CsvTable raw) {
        List<String> labels = Labels.decode(bundle.predict(bundle.preprocessor().transform(raw)), bundle.classLabels());
        return labels.stream().map(label -> (Object) Integer.valueOf(label)).toList();
    }

    /** Raw records as a client sends them: numbers as JSON numbers, missing values as null, text as strings. */
    public static List<Map<String, Object>> rawRecords(CsvTable raw) {
        List<Map<String, Object>> records = new ArrayList<>();
        for (List<String> row : raw.rows()) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int j = 0; j < raw.header().size(); j++) {
                record.put(raw.header().get(j), jsonValue(row.get(j)));
            }
            records.add(record);
        }
        return records;
    }

    public static List<List<Object>> rawRows(CsvTable raw) {
        return rawRecords(raw).stream().map(r -> (List<Object>) new ArrayList<>(r.values())).toList();
    }

    /** The rows' preprocessed features as the published workflow sends them: feature column -> value. */
    public static List<Map<String, Object>> featureRecords(ModelBundle bundle, CsvTable raw) {
        double[][] x = bundle.preprocessor().transform(raw);
        List<String> columns = bundle.signature().featureColumns();
        List<Map<String, Object>> records = new ArrayList<>();
        for (double[] row : x) {
            Map<String, Object> record = new LinkedHashMap<>();
            for (int j = 0; j < columns.size(); j++) {
                record.put(columns.get(j), row[j]);
            }
            records.add(record);
        }
        return records;
    }

    public static double[][] features(ModelBundle bundle, CsvTable raw) {
        return bundle.preprocessor().transform(raw);
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object jsonValue(String text) {
        if (Values.isMissing(text)) {
            return null;
        }
        Double number = Values.parseNumber(text);
        if (number == null) {
            return text;
        }
        return number == Math.rint(number) && !text.contains(".") ? (Object) number.longValue() : number;
    }
}
