package dev.mlops.serving.rest;

import dev.mlops.serving.service.ModelInfo;
import dev.mlops.serving.service.ModelSlots;
import dev.mlops.serving.service.ServingModel;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.List;
import java.util.Map;

/** MLflow's {@code GET /ping} and {@code /health}, and {@code /version}: which model this server answers with. */
@Path("/")
public class StatusResource {

    /** The /version answer; {@code version} is the model registry's version when known. */
    public record VersionInfo(String name, String version, String runId, String modelUri, List<String> classLabels,
                              List<String> inputColumns, List<String> featureColumns, int trees, String server,
                              Map<String, String> metadata) {

        static VersionInfo of(ServingModel model, String server) {
            ModelInfo info = model.info();
            return new VersionInfo(info.name(), info.version(), info.runId(), info.uri(), model.classLabels(),
                    model.inputColumns(), model.featureColumns(), model.treeCount(), server, model.metadata());
        }
    }

    public record Health(String status) {
    }

    private static final Health UP = new Health("UP");

    private final ModelSlots slots;
    private final String server;

    StatusResource(ModelSlots slots, @ConfigProperty(name = "quarkus.application.version") String serverVersion) {
        this.slots = slots;
        this.server = "mlops model-server " + serverVersion;
    }

    /** 200 with an empty body when a model is served; 503 while none is (a warm server waiting for its first). */
    @GET
    @Path("ping")
    public Response ping() {
        return slots.live().isPresent() ? Response.ok().build()
                : Response.status(Response.Status.SERVICE_UNAVAILABLE).build();
    }

    @GET
    @Path("health")
    @Produces(MediaType.APPLICATION_JSON)
    public Health health() {
        return UP;
    }

    @GET
    @Path("version")
    @Produces(MediaType.APPLICATION_JSON)
    public Response version() {
        return slots.live().map(model -> Response.ok(VersionInfo.of(model, server)).build())
                .orElseGet(() -> InvocationsResource.noModel("no model is served yet"));
    }
}
