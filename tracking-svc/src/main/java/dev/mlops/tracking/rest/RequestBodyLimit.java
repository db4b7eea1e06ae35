package dev.mlops.tracking.rest;

import dev.mlops.common.json.Json;
import dev.mlops.tracking.service.DatasetUploads;
import dev.mlops.tracking.service.RunArtifacts;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.quarkus.vertx.http.runtime.VertxHttpRecorder;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.regex.Pattern;

/**
 * Three body limits: {@code mlops.http.max-body-size} (1 MB) for the API's JSON requests,
 * {@code mlops.mlflow.max-artifact-bytes} for uploads to MLflow's artifact proxy (streamed to S3, never whole in
 * memory) and {@code mlops.datasets.max-upload-bytes} for dataset uploads (POST /datasets, through a temporary file). Quarkus' own limit, {@code quarkus.http.limits.max-body-size}, is set to the larger one; this class
 * narrows it per request. A Content-Length over the request's limit answers 413 with the API's JSON error before
 * the body is read (Quarkus would answer the same 413 with an empty body). A chunked JSON body is cut off at the API
 * limit by Quarkus; a chunked artifact upload is counted by the proxy itself, which answers 413 in JSON.
 */
@ApplicationScoped
public class RequestBodyLimit {

    private static final Pattern ARTIFACT_UPLOAD = Pattern.compile("/(?:api|ajax-api)/2\\.0/mlflow-artifacts/artifacts/.*");
    private static final String DATASET_UPLOAD = "/datasets";
    private static final long LINGER_MILLIS = 5_000;

    private final MemorySize apiLimit;
    private final MemorySize artifactLimit;
    private final MemorySize datasetLimit;

    public RequestBodyLimit(@ConfigProperty(name = "mlops.http.max-body-size") MemorySize apiLimit,
                            @ConfigProperty(name = "mlops.mlflow.max-artifact-bytes") MemorySize artifactLimit,
                            @ConfigProperty(name = "mlops.datasets.max-upload-bytes") MemorySize datasetLimit) {
        this.apiLimit = apiLimit;
        this.artifactLimit = artifactLimit;
        this.datasetLimit = datasetLimit;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::checkLength);
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT + 1).handler(this::limitChunkedBody);
    }

    private void checkLength(RoutingContext context) {
        long length = contentLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        boolean artifact = isArtifactUpload(context.request());
        boolean dataset = isDatasetUpload(context.request());
        long limit = artifact ? artifactLimit.asLongValue() : dataset ? datasetLimit.asLongValue()
                : apiLimit.asLongValue();
        if (length <= limit) {
            context.next();
            return;
        }
        ApiError error = ApiError.of(ApiError.REQUEST_TOO_LARGE, artifact
                ? "the artifact has " + length + " bytes: " + RunArtifacts.tooLarge(limit)
                : dataset ? "the file has " + length + " bytes: " + DatasetUploads.tooLarge(limit)
                : "the request body has " + length + " bytes, more than this API accepts (" + limit + " bytes)");
        // The body is not kept: what the client still sends is dropped and the connection closed once the body
        // ends, or after LINGER_MILLIS. Closing at once reset a client still sending, which then never read the 413.
        HttpServerRequest request = context.request();
        request.handler(dropped -> { });
        request.endHandler(ended -> request.connection().close());
        context.vertx().setTimer(LINGER_MILLIS, lingered -> request.connection().close());
        request.resume();
        context.response()
                .setStatusCode(Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader("Connection", "close")
                .end(Json.write(error));
    }

    /** Runs after Quarkus put its (artifact-sized) limit on a body without Content-Length. */
    private void limitChunkedBody(RoutingContext context) {
        if (context.get(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY) != null) {
            if (isArtifactUpload(context.request()) || isDatasetUpload(context.request())) {
                context.remove(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY);
            } else {
                context.put(VertxHttpRecorder.MAX_REQUEST_SIZE_KEY, apiLimit.asLongValue());
            }
        }
        context.next();
    }

    private static boolean isArtifactUpload(HttpServerRequest request) {
        return request.method() == HttpMethod.PUT && ARTIFACT_UPLOAD.matcher(request.path()).matches();
    }

    private static boolean isDatasetUpload(HttpServerRequest request) {
        return request.method() == HttpMethod.POST && DATASET_UPLOAD.equals(request.path());
    }

    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
