package dev.mlops.tracking.rest;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Every error answer, in MLflow's shape: {@code error_code} (INVALID_PARAMETER_VALUE, RESOURCE_DOES_NOT_EXIST,
 * ...), a message for the user, the offending {@code field} (dotted path) when there is one, and the run id
 * when a run was recorded but could not be started.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiError(@JsonProperty("error_code") String errorCode, String message, String field, String runId) {

    public static final String INVALID_PARAMETER_VALUE = "INVALID_PARAMETER_VALUE";
    public static final String RESOURCE_DOES_NOT_EXIST = "RESOURCE_DOES_NOT_EXIST";
    public static final String RESOURCE_ALREADY_EXISTS = "RESOURCE_ALREADY_EXISTS";
    public static final String TEMPORARILY_UNAVAILABLE = "TEMPORARILY_UNAVAILABLE";
    public static final String UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE";
    public static final String ENDPOINT_NOT_FOUND = "ENDPOINT_NOT_FOUND";
    public static final String METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";
    public static final String UNAUTHENTICATED = "UNAUTHENTICATED";
    public static final String PERMISSION_DENIED = "PERMISSION_DENIED";
    public static final String INVALID_STATE = "INVALID_STATE";
    public static final String REQUEST_TOO_LARGE = "REQUEST_TOO_LARGE";
    public static final String INTERNAL_ERROR = "INTERNAL_ERROR";
    public static final String BAD_GATEWAY = "BAD_GATEWAY";
    public static final String NOT_IMPLEMENTED = "NOT_IMPLEMENTED";

    public static ApiError of(String errorCode, String message) {
        return new ApiError(errorCode, message, null, null);
    }

    public static ApiError invalid(String field, String message) {
        return new ApiError(INVALID_PARAMETER_VALUE, message, field == null || field.isEmpty() ? null : field, null);
    }
}
