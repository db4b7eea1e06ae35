package dev.mlops.serving.rest;

import dev.mlops.serving.config.ServingConfig;
import dev.mlops.serving.metrics.ServingMetrics;
import dev.mlops.serving.service.InvalidInputException;
import dev.mlops.serving.service.ServingModel;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** {@code POST /invocations}: MLflow's scoring protocol. Runs on a worker thread; the forest is already loaded. */
@Path("/invocations")
public class InvocationsResource {

    private final ServingModel model;
    private final ServingMetrics metrics;
    private final long maxRequestBytes;

    InvocationsResource(ServingModel model, ServingMetrics metrics, ServingConfig config) {
        this.model = model;
        this.metrics = metrics;
        this.maxRequestBytes = config.maxRequestSize().asLongValue();
    }

    @POST
    @Blocking
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response invocations(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        long start = System.nanoTime();
        try {
            if (body.length > maxRequestBytes) {
                throw RequestSizeLimit.tooLarge(body.length, maxRequestBytes);
            }
            ServingModel.Scored scored = model.score(contentType, body);
            metrics.scored(scored.format(), scored.classes(), System.nanoTime() - start);
            return Response.ok(scored.body(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidInputException e) {
            metrics.failed(e.status(), e.errorCode(), System.nanoTime() - start);
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(e.errorCode(), e.getMessage())).build();
        }
    }
}
