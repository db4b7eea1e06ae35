package dev.mlops.serving.rest;

import dev.mlops.serving.service.ModelInfo;
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
    }

    public record Health(String status) {
    }

    private static final Health UP = new Health("UP");

    private final VersionInfo version;

    StatusResource(ServingModel model, @ConfigProperty(name = "quarkus.application.version") String serverVersion) {
        ModelInfo info = model.info();
        this.version = new VersionInfo(info.name(), info.version(), info.runId(), info.uri(), model.classLabels(),
                model.inputColumns(), model.featureColumns(), model.treeCount(), "mlops model-server " + serverVersion,
                model.metadata());
    }

    /** 200 with an empty body once the model is loaded (it is loaded before the server listens). */
    @GET
    @Path("ping")
    public Response ping() {
        return Response.ok().build();
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
    public VersionInfo version() {
        return version;
    }
}
