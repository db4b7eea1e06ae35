package dev.mlops.serving.rest;

import dev.mlops.common.json.Json;
import dev.mlops.serving.config.ServingConfig;
import dev.mlops.serving.metrics.ServingMetrics;
import dev.mlops.serving.service.InvalidInputException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a scoring request whose Content-Length exceeds {@code mlops.serving.max-request-size} before its body
 * is read, with a 413 in MLflow's error shape (Quarkus' own limit, the same size, answers an empty 413 and only
 * still applies to chunked bodies).
 */
@ApplicationScoped
public class RequestSizeLimit {

    /** Before Quarkus' body-size check (order -2). */
    private static final int ORDER = -3;

    void register(@Observes Router router, ServingConfig config, ServingMetrics metrics) {
        long limit = config.maxRequestSize().asLongValue();
        router.route(HttpMethod.POST, "/invocations").order(ORDER).handler(context -> {
            long length = contentLength(context.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (length <= limit) {
                context.next();
                return;
            }
            InvalidInputException error = tooLarge(length, limit);
            metrics.failed(error.status(), error.errorCode(), 0);
            context.response().setStatusCode(error.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end("{\"error_code\": " + Json.write(error.errorCode()) + ", \"message\": " + Json.write(error.getMessage()) + "}");
        });
    }

    static InvalidInputException tooLarge(long length, long limit) {
        return new InvalidInputException(413, InvalidInputException.BAD_REQUEST, "the request body has " + length
                + " bytes, more than the limit of " + limit + " bytes (mlops.serving.max-request-size): send fewer records"
                + " per request");
    }

    private static long contentLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
