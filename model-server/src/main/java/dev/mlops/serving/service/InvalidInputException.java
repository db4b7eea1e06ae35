package dev.mlops.serving.service;

/** A scoring request the server cannot answer: the HTTP status and MLflow error code go back with the message. */
public class InvalidInputException extends RuntimeException {

    public static final String BAD_REQUEST = "BAD_REQUEST";
    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";

    private final int status;
    private final String errorCode;

    public InvalidInputException(int status, String errorCode, String message) {
        super(message, null, false, false);
        this.status = status;
        this.errorCode = errorCode;
    }

    /** 400 BAD_REQUEST: the body is not a scoring request (format, JSON, CSV). */
    public static InvalidInputException badRequest(String message) {
        return new InvalidInputException(400, BAD_REQUEST, message);
    }

    /** 400 INVALID_PARAMETER_VALUE: a well-formed request whose columns or values do not fit the model. */
    public static InvalidInputException invalidValue(String message) {
        return new InvalidInputException(400, INVALID_PARAMETER_VALUE, message);
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
