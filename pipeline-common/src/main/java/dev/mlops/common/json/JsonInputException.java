package dev.mlops.common.json;

/** Input that could not be read; {@link #field()} is the dotted path of the offending field ("" for the whole document). */
public class JsonInputException extends IllegalArgumentException {
    private final String field;

    public JsonInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
