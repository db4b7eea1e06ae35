package dev.mlops.tracking.service;

/** A request value breaks a rule; {@link #field()} names it as a dotted path (HTTP 400). */
public class InvalidInput extends IllegalArgumentException {
    private final String field;

    public InvalidInput(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
