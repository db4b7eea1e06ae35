package dev.mlops.serving.rest;

import dev.mlops.common.http.ContentLength;
import dev.mlops.common.json.Json;
import dev.mlops.serving.config.ServingConfig;
import dev.mlops.serving.metrics.ServingMetrics;
import dev.mlops.serving.service.InvalidInputException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a scoring request over {@code mlops.serving.max-request-size} with a 413 in MLflow's error shape: at once
 * when its Content-Length says so (the body is not read), else (HTTP/1.1 chunked) as soon as the bytes read pass the
 * limit; what the client still sends is discarded, not kept. Quarkus' own limit, the same size, still covers HTTP/2
 * bodies without a length (with an empty 413).
 */
@ApplicationScoped
public class RequestSizeLimit {

    /** Before Quarkus' body-size check (order -2). */
    private static final int ORDER = -3;

    void register(@Observes Router router, ServingConfig config, ServingMetrics metrics) {
        long limit = config.maxRequestSize().asLongValue();
        BodyHandler chunkedBody = BodyHandler.create(false).setBodyLimit(limit);
        router.route(HttpMethod.POST, "/invocations").order(ORDER).handler(context -> {
            String header = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            long length = ContentLength.parse(header);
            if (length > limit) {
                answer(context, tooLarge(length, limit), metrics);
            } else if (header == null && context.request().headers().contains(HttpHeaders.TRANSFER_ENCODING,
                    HttpHeaders.CHUNKED, true)) {
                // read here, counting; RESTEasy takes the read body (context.body()) instead of reading it again
                chunkedBody.handle(context);
            } else {
                context.next();
            }
        }).failureHandler(context -> {
            if (context.response().ended()) {
                return;
            }
            answer(context, context.statusCode() == 413 ? new InvalidInputException(413, InvalidInputException.BAD_REQUEST,
                    "the request body has more than the limit of " + limit + " bytes (mlops.serving.max-request-size):"
                            + " send fewer records per request")
                    : new InvalidInputException(500, "INTERNAL_ERROR", UnexpectedErrorMapper.internalError(context.failure())),
                    metrics);
        });
    }

    static InvalidInputException tooLarge(long length, long limit) {
        return new InvalidInputException(413, InvalidInputException.BAD_REQUEST, "the request body has " + length
                + " bytes, more than the limit of " + limit + " bytes (mlops.serving.max-request-size): send fewer records"
                + " per request");
    }

    private static void answer(RoutingContext context, InvalidInputException error, ServingMetrics metrics) {
        metrics.failed(error.status(), error.errorCode(), 0);
        context.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end("{\"error_code\": " + Json.write(error.errorCode()) + ", \"message\": " + Json.write(error.getMessage()) + "}");
    }

}
