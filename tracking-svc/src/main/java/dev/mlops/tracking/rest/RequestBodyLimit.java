package dev.mlops.tracking.rest;

import dev.mlops.common.json.Json;
import io.quarkus.runtime.configuration.MemorySize;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a request whose Content-Length is over {@code quarkus.http.limits.max-body-size} with 413 and the API's
 * JSON error. It runs just before Quarkus' own limit check, which would answer the same 413 with an empty body;
 * a chunked body without a length is still cut off by Quarkus at the same limit.
 */
@ApplicationScoped
public class RequestBodyLimit {

    private final MemorySize maxBodySize;

    public RequestBodyLimit(@ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.maxBodySize = maxBodySize;
    }

    void install(@Observes Router router) {
        router.route().order(RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT - 1).handler(this::check);
    }

    private void check(RoutingContext context) {
        long length = contentLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
        long limit = maxBodySize.asLongValue();
        if (length <= limit) {
            context.next();
            return;
        }
        ApiError error = ApiError.of(ApiError.REQUEST_TOO_LARGE, "the request body has " + length
                + " bytes, more than this API accepts (" + limit + " bytes)");
        context.response()
                .setStatusCode(Response.Status.REQUEST_ENTITY_TOO_LARGE.getStatusCode())
                .putHeader(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON)
                .putHeader("Connection", "close")
                .end(Json.write(error));
    }

    private static long contentLength(String header) {
        try {
            return header == null ? -1 : Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
