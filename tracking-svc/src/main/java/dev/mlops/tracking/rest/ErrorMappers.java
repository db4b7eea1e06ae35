package dev.mlops.tracking.rest;

import dev.mlops.common.json.JsonInputException;
import dev.mlops.common.spec.InvalidSpecException;
import dev.mlops.tracking.repository.DatabaseUnavailable;
import dev.mlops.tracking.service.AlreadyExists;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.InvalidState;
import dev.mlops.tracking.service.NotFound;
import dev.mlops.tracking.service.PipelineNotRequested;
import dev.mlops.tracking.service.ServedModel;
import dev.mlops.tracking.service.UploadTooLarge;
import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.RestResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.UUID;

/** Turns the services' exceptions into {@link ApiError} answers with the matching HTTP status. */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);
    /** Seconds a client is asked to wait before trying again while the database is out of reach. */
    private static final String RETRY_AFTER_SECONDS = "5";

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

    /** MLflow answers a name that is taken with 400, where the platform's own API says 409. */
    @ServerExceptionMapper
    public RestResponse<ApiError> alreadyExists(AlreadyExists e, UriInfo uri) {
        return json(MlflowPaths.covers(uri.getPath()) ? Response.Status.BAD_REQUEST : Response.Status.CONFLICT,
                ApiError.of(ApiError.RESOURCE_ALREADY_EXISTS, e.getMessage()));
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> invalidState(InvalidState e) {
        return json(Response.Status.CONFLICT, ApiError.of(ApiError.INVALID_STATE, e.getMessage()));
    }

    /** Answered after part of the body was read: the connection is closed rather than the rest read. */
    @ServerExceptionMapper
    public RestResponse<ApiError> uploadTooLarge(UploadTooLarge e) {
        return RestResponse.ResponseBuilder.create(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        ApiError.of(ApiError.REQUEST_TOO_LARGE, e.getMessage()))
                .header("Connection", "close")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    @ServerExceptionMapper
    public RestResponse<ApiError> servingUnreachable(ServedModel.Unreachable e) {
        return json(Response.Status.BAD_GATEWAY, ApiError.of(ApiError.BAD_GATEWAY, e.getMessage()));
    }

    /** PostgreSQL out of reach answers 503 (try again); any other database failure 500, its details in the log. */
    @ServerExceptionMapper
    public RestResponse<ApiError> database(PersistenceException e) {
        if (DatabaseUnavailable.causedIt(e)) {
            LOG.warnf("answered 503: the database is unavailable (%s)", e.getMessage());
            return RestResponse.ResponseBuilder.create(Response.Status.SERVICE_UNAVAILABLE,
                            ApiError.of(ApiError.TEMPORARILY_UNAVAILABLE,
                                    "the tracking database is unavailable; try again in a moment"))
                    .header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .build();
        }
        String errorId = UUID.randomUUID().toString();
        LOG.errorf(e, "database failure, error id %s", errorId);
        return json(Response.Status.INTERNAL_SERVER_ERROR, ApiError.of(ApiError.INTERNAL_ERROR,
                "the tracking database failed to answer; the service log has the details under error id " + errorId));
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

    /** An error answer with its status, as JSON (also for filters and resources that answer errors themselves). */
    public static RestResponse<ApiError> json(Response.Status status, ApiError error) {
        return RestResponse.ResponseBuilder.create(status, error).type(MediaType.APPLICATION_JSON_TYPE).build();
    }
}
