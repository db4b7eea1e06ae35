package dev.mlops.serving.service;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.common.data.CsvFormatException;
import dev.mlops.common.data.CsvTable;
import dev.mlops.common.text.Text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the body of {@code POST /invocations} as MLflow's scoring server does: JSON with one of
 * {@code dataframe_split}, {@code dataframe_records}, {@code instances}, {@code inputs}, or CSV with a header.
 */
public class RequestParser {

    public static final String JSON = "application/json";
    public static final String CSV = "text/csv";
    static final List<String> FORMATS = List.of("dataframe_split", "dataframe_records", "instances", "inputs");
    /** A scoring request nests 4 levels ({"dataframe_split": {"data": [[...]]}}); deeper bodies are refused while parsing. */
    static final int MAX_NESTING_DEPTH = 64;

    private final ObjectMapper mapper = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public InputTable parse(String contentType, byte[] body) {
        String mediaType = mediaType(contentType);
        if (!JSON.equals(mediaType) && !CSV.equals(mediaType)) {
            throw new InvalidInputException(415, "UNSUPPORTED_MEDIA_TYPE", (mediaType.isEmpty()
                    ? "the request has no Content-Type" : "unsupported content type '" + mediaType + "'")
                    + "; use application/json or text/csv");
        }
        if (isBlank(body)) {
            throw InvalidInputException.badRequest("the request body is empty: expected " + (JSON.equals(mediaType)
                    ? "a JSON object with one of the keys " + FORMATS : "CSV with a header line and one row per record"));
        }
        return JSON.equals(mediaType) ? parseJson(body) : parseCsv(body);
    }

    /** The media type without parameters, lower case; "" when there is none. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private InputTable parseJson(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (StreamConstraintsException e) {
            throw InvalidInputException.badRequest(tooLarge(e));
        } catch (JsonProcessingException e) {
            throw InvalidInputException.badRequest("malformed JSON" + where(e.getLocation()) + ": "
                    + Text.quote(e.getOriginalMessage()));
        } catch (IOException e) {
            throw InvalidInputException.badRequest("unreadable JSON: " + Text.quote(e.getMessage()));
        }
        if (!root.isObject()) {
            throw InvalidInputException.badRequest("unknown input format: the JSON body must be an object with one of the keys "
                    + FORMATS + ", got " + kind(root));
        }
        List<String> keys = FORMATS.stream().filter(root::has).toList();
        if (keys.size() != 1) {
            List<String> fields = root.properties().stream().map(Map.Entry::getKey).toList();
            throw InvalidInputException.badRequest((keys.isEmpty() ? "unknown input format" : "ambiguous input format")
                    + ": the JSON body must have exactly one of the keys " + FORMATS + "; it has " + Text.quote(fields.toString()));
        }
        String format = keys.get(0);
        JsonNode value = root.get(format);
        if (format.equals("dataframe_split")) {
            return dataframeSplit(value);
        }
        if (value.isObject() && !format.equals("dataframe_records")) {
            return columnar(format, value);
        }
        if (!value.isArray()) {
            throw InvalidInputException.badRequest("'" + format + "' must be a list of records (objects) or of rows (arrays)"
                    + (format.equals("dataframe_records") ? "" : ", or an object of column -> values") + "; got " + kind(value));
        }
        return list(format, value);
    }

    /** Jackson's limits (nesting depth, length of a number or a key) give no location: say which limit, in our words. */
    private static String tooLarge(StreamConstraintsException e) {
        if (String.valueOf(e.getOriginalMessage()).contains("nesting depth")) {
            return "the JSON body nests deeper than " + MAX_NESTING_DEPTH + " levels; a scoring request needs 4"
                    + " ({\"dataframe_split\": {\"data\": [[...]]}}) and a value in a row must be a number, string,"
                    + " boolean or null";
        }
        StreamReadConstraints limits = StreamReadConstraints.defaults();
        return "the JSON body has a number or a key longer than the parser accepts (at most "
                + limits.getMaxNumberLength() + " characters per number, " + limits.getMaxNameLength() + " per key)";
    }

    private static String where(JsonLocation location) {
        return location == null || location.getLineNr() < 0 ? ""
                : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static InputTable dataframeSplit(JsonNode split) {
        if (!split.isObject() || !split.path("data").isArray()) {
            throw InvalidInputException.badRequest("'dataframe_split' must be an object with 'columns' (names) and 'data'"
                    + " (a list of rows); got " + (split.isObject() ? "no 'data' list" : kind(split)));
        }
        JsonNode data = split.get("data");
        if (data.isEmpty()) {
            throw InvalidInputException.badRequest("'dataframe_split.data' is empty: no rows to score");
        }
        List<String> columns = null;
        JsonNode names = split.get("columns");
        if (names != null && !names.isNull()) {
            if (!names.isArray()) {
                throw InvalidInputException.badRequest("'dataframe_split.columns' must be a list of column names; got " + kind(names));
            }
            columns = new ArrayList<>(names.size());
            for (JsonNode name : names) {
                if (!name.isTextual()) {
                    throw InvalidInputException.badRequest("'dataframe_split.columns' must hold strings; got " + Text.quote(name.toString()));
                }
                columns.add(name.textValue());
            }
        }
        List<Object[]> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            JsonNode row = data.get(i);
            if (!row.isArray()) {
                throw InvalidInputException.badRequest("'dataframe_split.data' must be a list of rows (arrays); row " + (i + 1)
                        + " is " + kind(row));
            }
            if (columns != null && row.size() != columns.size()) {
                throw InvalidInputException.badRequest("'dataframe_split' row " + (i + 1) + " has " + row.size()
                        + " values for " + columns.size() + " columns " + columns);
            }
            rows.add(arrayRow(row));
        }
        return new InputTable("dataframe_split", columns, rows);
    }

    /** A list of records (objects) or of rows (arrays), not both. */
    private static InputTable list(String format, JsonNode list) {
        if (list.isEmpty()) {
            throw InvalidInputException.badRequest("'" + format + "' is empty: no records to score");
        }
        boolean records = list.get(0).isObject();
        Map<String, Integer> columns = new LinkedHashMap<>();
        List<Object[]> rows = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            JsonNode element = list.get(i);
            if (records ? !element.isObject() : !element.isArray()) {
                throw InvalidInputException.badRequest("'" + format + "' must be a list of records (objects) or of rows"
                        + " (arrays); element " + (i + 1) + " is " + kind(element)
                        + (i > 0 ? " where element 1 is " + kind(list.get(0)) : ""));
            }
            rows.add(records ? recordRow(element, columns) : arrayRow(element));
        }
        return new InputTable(format, records ? List.copyOf(columns.keySet()) : null, rows);
    }

    /** {@code {"column": [values...], ...}}, or one record {@code {"column": value, ...}}. */
    private static InputTable columnar(String format, JsonNode object) {
        if (object.isEmpty()) {
            throw InvalidInputException.badRequest("'" + format + "' is an empty object: no columns to score");
        }
        List<String> columns = new ArrayList<>();
        List<JsonNode> values = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            columns.add(field.getKey());
            values.add(field.getValue());
        }
        long lists = values.stream().filter(JsonNode::isArray).count();
        if (lists == 0) {
            Map<String, Integer> index = new LinkedHashMap<>();
            return new InputTable(format, columns, List.<Object[]>of(recordRow(object, index)));
        }
        if (lists != values.size()) {
            throw InvalidInputException.badRequest("'" + format + "' as an object must map every column to a list of values"
                    + " (or every column to one value); columns " + columns + " mix lists and single values");
        }
        int n = values.get(0).size();
        for (int j = 1; j < values.size(); j++) {
            if (values.get(j).size() != n) {
                throw InvalidInputException.badRequest("'" + format + "' columns have different lengths: '" + columns.get(0)
                        + "' has " + n + " values, '" + columns.get(j) + "' has " + values.get(j).size());
            }
        }
        if (n == 0) {
            throw InvalidInputException.badRequest("'" + format + "' columns are empty: no records to score");
        }
        List<Object[]> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Object[] row = new Object[columns.size()];
            for (int j = 0; j < row.length; j++) {
                row[j] = cell(values.get(j).get(i));
            }
            rows.add(row);
        }
        return new InputTable(format, columns, rows);
    }

    private static Object[] recordRow(JsonNode record, Map<String, Integer> columns) {
        Object[] row = new Object[Math.max(columns.size(), record.size())];
        Arrays.fill(row, InputTable.ABSENT);
        for (Map.Entry<String, JsonNode> field : record.properties()) {
            int j = columns.computeIfAbsent(field.getKey(), k -> columns.size());
            if (j >= row.length) {
                int old = row.length;
                row = Arrays.copyOf(row, columns.size() + record.size());
                Arrays.fill(row, old, row.length, InputTable.ABSENT);
            }
            row[j] = cell(field.getValue());
        }
        return row;
    }

    private static Object[] arrayRow(JsonNode array) {
        Object[] row = new Object[array.size()];
        for (int j = 0; j < row.length; j++) {
            row[j] = cell(array.get(j));
        }
        return row;
    }

    private static Object cell(JsonNode node) {
        if (node.isNumber()) {
            return node.numberValue();
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return InputTable.NESTED;
    }

    private static InputTable parseCsv(byte[] body) {
        CsvTable table;
        try {
            table = CsvTable.parse(body);
        } catch (CsvFormatException e) {
            throw InvalidInputException.badRequest("invalid CSV: " + e.getMessage());
        }
        if (table.rows().isEmpty()) {
            throw InvalidInputException.badRequest("the CSV has a header but no rows: no records to score");
        }
        List<Object[]> rows = new ArrayList<>(table.rows().size());
        for (List<String> row : table.rows()) {
            rows.add(row.toArray());
        }
        return new InputTable("csv", table.header(), rows);
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return false;
            }
        }
        return true;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().toString().toLowerCase(Locale.ROOT);
        };
    }
}
