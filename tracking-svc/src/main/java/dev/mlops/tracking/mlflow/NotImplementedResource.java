package dev.mlops.tracking.mlflow;

import dev.mlops.tracking.rest.ApiError;
import dev.mlops.tracking.rest.ErrorMappers;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * The parts of MLflow's API this server does not serve yet answer 501 NOT_IMPLEMENTED (not 404), so a client
 * learns that the call exists but is missing here: logged models, traces, datasets search and the artifact
 * proxy's multipart uploads (mpu/*).
 * Whatever query parameters the call takes, the answer is 501, not a 400 for parameters this class does not declare.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow (not implemented)", description = "MLflow endpoints that answer 501")
public class NotImplementedResource {

    private static final String ENDPOINTS = "{prefix:api|ajax-api}/2.0/{endpoint:mlflow/(?:logged-models|traces|datasets"
            + "|gateway-proxy|scorers)(?:/.*)?|mlflow/runs/(?:log-model|delete-runs|restore-runs|search-datasets)"
            + "|mlflow-artifacts/mpu/.*}";

    @GET
    @Path(ENDPOINTS)
    public RestResponse<ApiError> get() {
        return notImplemented();
    }

    @POST
    @Path(ENDPOINTS)
    public RestResponse<ApiError> post() {
        return notImplemented();
    }

    @PUT
    @Path(ENDPOINTS)
    public RestResponse<ApiError> put() {
        return notImplemented();
    }

    @PATCH
    @Path(ENDPOINTS)
    public RestResponse<ApiError> patch() {
        return notImplemented();
    }

    @DELETE
    @Path(ENDPOINTS)
    public RestResponse<ApiError> delete() {
        return notImplemented();
    }

    private static RestResponse<ApiError> notImplemented() {
        return ErrorMappers.json(Response.Status.NOT_IMPLEMENTED, ApiError.of(ApiError.NOT_IMPLEMENTED,
                "this MLflow endpoint is not implemented by this tracking server yet"
                        + " (see tracking-svc/MLFLOW-API-PROGRESS.md)"));
    }
}
