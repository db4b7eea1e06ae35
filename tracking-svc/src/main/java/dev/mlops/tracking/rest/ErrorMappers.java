package dev.mlops.tracking.rest;

import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.tracking.service.AlreadyExists;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.NotFound;
import dev.mlops.tracking.service.PipelineNotRequested;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Turns the services' exceptions into {@link ApiError} answers with the matching HTTP status. */
public class ErrorMappers {

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidSpec(InvalidSpecException e) {
        return json(Response.Status.BAD_REQUEST, ApiError.invalid(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unreadableJson(JsonInputException e) {
        return json(Response.Status.BAD_REQUEST, ApiError.invalid(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidInput(InvalidInput e) {
        return json(Response.Status.BAD_REQUEST, ApiError.invalid(e.field(), e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> notFound(NotFound e) {
        return json(Response.Status.NOT_FOUND, ApiError.of(ApiError.RESOURCE_DOES_NOT_EXIST, e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> alreadyExists(AlreadyExists e) {
        return json(Response.Status.CONFLICT, ApiError.of(ApiError.RESOURCE_ALREADY_EXISTS, e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> notRequested(PipelineNotRequested e) {
        return json(Response.Status.SERVICE_UNAVAILABLE,
                new ApiError(ApiError.TEMPORARILY_UNAVAILABLE, e.getMessage(), null, e.runId()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> unsupportedMediaType(NotSupportedException e, HttpHeaders headers) {
        MediaType sent = headers.getMediaType();
        return json(Response.Status.UNSUPPORTED_MEDIA_TYPE, new ApiError(ApiError.UNSUPPORTED_MEDIA_TYPE,
                "Content-Type " + (sent == null ? "(none)" : sent) + " is not supported: send the body as "
                        + MediaType.APPLICATION_JSON, HttpHeaders.CONTENT_TYPE, null));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> noEndpoint(jakarta.ws.rs.NotFoundException e) {
        return json(Response.Status.NOT_FOUND, ApiError.of(ApiError.ENDPOINT_NOT_FOUND,
                "no such endpoint; see /q/openapi for the API"));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> methodNotAllowed(NotAllowedException e) {
        return json(Response.Status.METHOD_NOT_ALLOWED, ApiError.of(ApiError.METHOD_NOT_ALLOWED,
                "method not allowed here; allowed: " + e.getResponse().getAllowedMethods()));
    }

    private static RestResponse<ApiError> json(Response.Status status, ApiError error) {
        return RestResponse.ResponseBuilder.create(status, error).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
