package dev.mlops.model.preprocess;

/** Input data the preprocessor cannot use (a missing or empty column, text in a numeric column); names the column. */
public class InvalidDataException extends IllegalArgumentException {
    private final String column;

    public InvalidDataException(String column, String message) {
        super(message);
        this.column = column;
    }

    public String column() {
        return column;
    }
}
