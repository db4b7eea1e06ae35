package dev.mlops.serving.rest;

import dev.mlops.serving.config.ServingConfig;
import dev.mlops.serving.metrics.ServingMetrics;
import dev.mlops.serving.service.InvalidInputException;
import dev.mlops.serving.service.ModelSlots;
import dev.mlops.serving.service.ServingModel;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Optional;

/**
 * {@code POST /invocations}: MLflow's scoring protocol. A small body (about 100 records at most) is scored on the
 * event loop that read it: scoring it takes tens of microseconds, less than handing it to a worker thread and back
 * (1-record throughput 27,581 vs 12,431 req/s, BENCHMARKS.md). A larger body is scored on a worker thread so the
 * event loop's other connections do not wait for it. The live model is picked once per request, so a request
 * started before a swap finishes on the model it started with.
 */
@Path("/invocations")
public class InvocationsResource {

    /** About 100 records of the Titanic features: scored in well under a millisecond. */
    public static final int EVENT_LOOP_BODY_BYTES = 16 * 1024;

    private final ModelSlots slots;
    private final ServingMetrics metrics;
    private final long maxRequestBytes;

    InvocationsResource(ModelSlots slots, ServingMetrics metrics, ServingConfig config) {
        this.slots = slots;
        this.metrics = metrics;
        this.maxRequestBytes = config.maxRequestSize().asLongValue();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Response> invocations(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, byte[] body) {
        if (body.length <= EVENT_LOOP_BODY_BYTES) {
            return Uni.createFrom().item(answer(contentType, body));
        }
        return Uni.createFrom().item(() -> answer(contentType, body))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private Response answer(String contentType, byte[] body) {
        Optional<ServingModel> live = slots.live();
        if (live.isEmpty()) {
            return noModel("no model is served yet: deploy one");
        }
        return score(live.get(), contentType, body, maxRequestBytes, metrics);
    }

    /** The scoring answer of {@code model} for one request; {@code metrics} null: not counted (deploy-svc's check). */
    static Response score(ServingModel model, String contentType, byte[] body, long maxRequestBytes,
                          ServingMetrics metrics) {
        long start = System.nanoTime();
        try {
            if (body.length > maxRequestBytes) {
                throw RequestSizeLimit.tooLarge(body.length, maxRequestBytes);
            }
            ServingModel.Scored scored = model.score(contentType, body);
            if (metrics != null) {
                metrics.scored(model, scored.format(), scored.classes(), System.nanoTime() - start);
            }
            return Response.ok(scored.body(), MediaType.APPLICATION_JSON_TYPE).build();
        } catch (InvalidInputException e) {
            if (metrics != null) {
                metrics.failed(e.status(), e.errorCode(), System.nanoTime() - start);
            }
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ErrorBody(e.errorCode(), e.getMessage())).build();
        }
    }

    static Response noModel(String message) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE).type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ErrorBody("TEMPORARILY_UNAVAILABLE", message)).build();
    }
}
