package dev.mlops.common.json;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mlops.common.text.Text;

import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one JSON mapper for events and pipeline specs: strict on input (unknown fields, wrong types, strings posing
 * as numbers and duplicate keys are errors; {@link #read} also refuses control characters in any key or string) so
 * that bad input is named, not silently ignored.
 */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .serializationInclusion(JsonInclude.Include.NON_NULL)
            .build();

    private Json() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode tree(String json) {
        return read(json, JsonNode.class);
    }

    /**
     * Reads {@code json} as {@code type}, or throws a {@link JsonInputException} that names the offending field.
     * No key or string value may hold a control character (NUL cannot be stored, newlines forge log lines).
     */
    public static <T> T read(String json, Class<T> type) {
        if (json == null || json.isBlank()) {
            throw new JsonInputException("", "the body is empty: expected a JSON object");
        }
        try {
            JsonNode tree = MAPPER.readTree(json);
            refuseControlCharacters(tree, "");
            T value = MAPPER.treeToValue(tree, type);
            if (value == null) {
                throw new JsonInputException("", "expected a JSON object, got null");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            String field = path(e);
            throw new JsonInputException(field, "unknown field '" + field + "'; known fields here: "
                    + e.getKnownPropertyIds().stream().map(Object::toString).sorted().collect(Collectors.joining(", ")));
        } catch (InvalidFormatException e) {
            String field = path(e);
            throw new JsonInputException(field, "field '" + field + "' has the wrong type: expected "
                    + friendlyType(e.getTargetType()) + ", got " + Text.quote(String.valueOf(e.getValue())));
        } catch (MismatchedInputException e) {
            String field = path(e);
            if (field.isEmpty()) {
                throw new JsonInputException(field, "expected a JSON object: " + Text.quote(e.getOriginalMessage()));
            }
            throw new JsonInputException(field, "field '" + field + "' has the wrong type: expected "
                    + friendlyType(e.getTargetType()));
        } catch (JsonMappingException e) {
            String field = path(e);
            throw new JsonInputException(field, "field '" + field + "' is invalid: " + Text.quote(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? ""
                    : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
            throw new JsonInputException("", "malformed JSON" + where + ": " + Text.quote(e.getOriginalMessage()));
        }
    }

    private static void refuseControlCharacters(JsonNode node, String path) {
        if (node.isTextual()) {
            String problem = Text.controlCharacterProblem(node.textValue());
            if (problem != null) {
                throw new JsonInputException(path, "field '" + path + "' " + problem);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String child = path.isEmpty() ? field.getKey() : path + "." + field.getKey();
                String problem = Text.controlCharacterProblem(field.getKey());
                if (problem != null) {
                    throw new JsonInputException(Text.quote(child), "key '" + Text.quote(child) + "' " + problem);
                }
                refuseControlCharacters(field.getValue(), child);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                refuseControlCharacters(node.get(i), path + "[" + i + "]");
            }
        }
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return Text.quote(path.toString());
    }

    private static String friendlyType(Class<?> type) {
        if (type == null) {
            return "another type";
        }
        if (Number.class.isAssignableFrom(type) || (type.isPrimitive() && type != boolean.class)) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (java.util.Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        return "an object";
    }
}
