package dev.mlops.serving.rest;

import com.fasterxml.jackson.annotation.JsonProperty;

/** MLflow's error answer: {@code {"error_code": "BAD_REQUEST", "message": "..."}}. */
public record ErrorBody(@JsonProperty("error_code") String errorCode, String message) {
}
