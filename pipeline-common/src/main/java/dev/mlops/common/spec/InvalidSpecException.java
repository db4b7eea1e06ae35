package dev.mlops.common.spec;

/** A pipeline spec that breaks a rule; {@link #field()} names the field (dotted path). */
public class InvalidSpecException extends IllegalArgumentException {
    private final String field;

    public InvalidSpecException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
