package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.common.json.Json;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.NotFound;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request as MLflow's clients send it: a JSON body (or GET query parameters) read field by field, so unknown
 * fields are ignored and int64 fields are taken as numbers or as strings (protobuf's JSON writes them as strings).
 */
final class MlflowRequest {

    static final int DEFAULT_PAGE_SIZE = 1000;
    static final int MAX_PAGE_SIZE = 50000;

    private final JsonNode fields;

    private MlflowRequest(JsonNode fields) {
        this.fields = fields;
    }

    static MlflowRequest ofBody(String body) {
        JsonNode tree = body == null || body.isBlank() ? JsonNodeFactory.instance.objectNode() : Json.tree(body);
        if (!tree.isObject()) {
            throw new InvalidInput("", "the body must be a JSON object");
        }
        return new MlflowRequest(tree);
    }

    /** GET parameters, as name, value, name, value ...; null values are left out. */
    static MlflowRequest ofQuery(String... namesAndValues) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            if (namesAndValues[i + 1] != null) {
                node.put(namesAndValues[i], namesAndValues[i + 1]);
            }
        }
        return new MlflowRequest(node);
    }

    /** GET (or DELETE) parameters as given; a parameter given several times is a repeated field. */
    static MlflowRequest ofQuery(MultivaluedMap<String, String> parameters) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        parameters.forEach((name, values) -> {
            if (values.size() == 1) {
                node.put(name, values.get(0));
            } else {
                ArrayNode repeated = node.putArray(name);
                values.forEach(repeated::add);
            }
        });
        return new MlflowRequest(node);
    }

    /** A body when one is sent, else the query parameters: MLflow's clients send DELETE's fields either way. */
    static MlflowRequest of(String body, UriInfo uri) {
        return body == null || body.isBlank() ? ofQuery(uri.getQueryParameters()) : ofBody(body);
    }

    /** A bool given as JSON true/false or as the text "true"/"false"; false when missing. */
    boolean bool(String field) {
        String value = string(field);
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("false")) {
            return false;
        }
        if (value.equalsIgnoreCase("true")) {
            return true;
        }
        throw new InvalidInput(field, "field '" + field + "' must be true or false, got '" + Text.quote(value) + "'");
    }

    /** The field as text; null when missing or JSON null. */
    String string(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isValueNode()) {
            throw new InvalidInput(field, "field '" + field + "' must be a string");
        }
        return value.asText();
    }

    /** The field as text; null when missing, JSON null or empty (protobuf's unset string). */
    String optional(String field) {
        String value = string(field);
        return value == null || value.isEmpty() ? null : value;
    }

    String required(String field) {
        String value = string(field);
        if (value == null || value.isEmpty()) {
            throw new InvalidInput(field, "missing value for required parameter '" + field + "'");
        }
        return value;
    }

    /** An int64 given as a JSON number or a string of digits; null when missing. */
    Long int64(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (value.isTextual()) {
            try {
                return Long.parseLong(value.textValue().trim());
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new InvalidInput(field, "field '" + field + "' must be a 64-bit integer, got " + Text.quote(value.toString()));
    }

    /** A search's filter; empty when missing. */
    String filter() {
        String filter = string("filter");
        return filter == null ? "" : filter;
    }

    /** A search's max_results: 1 to MLflow's 50,000, 1,000 when missing. */
    int pageSize() {
        return pageSize(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
    }

    /** A search's max_results: 1 to {@code max}, {@code byDefault} when missing. */
    int pageSize(int byDefault, int max) {
        Long maxResults = int64("max_results");
        if (maxResults == null) {
            return byDefault;
        }
        if (maxResults < 1 || maxResults > max) {
            throw new InvalidInput("max_results", "max_results must be 1 to " + max + ", got " + maxResults);
        }
        return maxResults.intValue();
    }

    /** A double given as a JSON number or as text ("0.5", "NaN", "Infinity" as protobuf's JSON writes them). */
    Double decimal(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            try {
                return Double.parseDouble(value.textValue().trim());
            } catch (NumberFormatException e) {
                // refused below
            }
        }
        throw new InvalidInput(field, "field '" + field + "' must be a number, got " + Text.quote(value.toString()));
    }

    /** MLflow takes a run's id as run_id, or as run_uuid from older clients. */
    String runId() {
        String runId = string("run_id");
        if (runId == null || runId.isEmpty()) {
            runId = string("run_uuid");
        }
        if (runId == null || runId.isEmpty()) {
            throw new InvalidInput("run_id", "missing value for required parameter 'run_id'");
        }
        return runId;
    }

    /** An experiment id (a string in MLflow's protocol, a number here): one that cannot be ours is not found. */
    long experimentId(String field) {
        String id = required(field);
        try {
            return Long.parseLong(id);
        } catch (NumberFormatException e) {
            throw new NotFound("no experiment with id '" + Text.quote(id) + "'");
        }
    }

    /** A repeated message field; empty when missing. */
    List<MlflowRequest> list(String field) {
        JsonNode value = fields.get(field);
        List<MlflowRequest> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (!value.isArray()) {
            throw new InvalidInput(field, "field '" + field + "' must be a list");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isObject()) {
                throw new InvalidInput(field + "[" + i + "]", "field '" + field + "[" + i + "]' must be an object");
            }
            items.add(new MlflowRequest(value.get(i)));
        }
        return items;
    }

    /** A message field; null when missing. */
    MlflowRequest object(String field) {
        JsonNode value = fields.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isObject()) {
            throw new InvalidInput(field, "field '" + field + "' must be an object");
        }
        return new MlflowRequest(value);
    }

    /** A repeated string field; a single string counts as a list of one. */
    List<String> strings(String field) {
        JsonNode value = fields.get(field);
        List<String> items = new ArrayList<>();
        if (value == null || value.isNull()) {
            return items;
        }
        if (value.isArray()) {
            value.forEach(item -> items.add(item.asText()));
        } else {
            items.add(value.asText());
        }
        return items;
    }

    /** A list of {key, value} messages, by key. */
    Map<String, String> keyValues(String field) {
        Map<String, String> map = new LinkedHashMap<>();
        list(field).forEach(item -> map.put(item.string("key"), item.string("value")));
        return map;
    }
}
