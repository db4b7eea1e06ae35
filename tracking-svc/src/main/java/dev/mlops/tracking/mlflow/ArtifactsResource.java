package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import dev.mlops.tracking.service.MlflowArtifactPaths;
import dev.mlops.tracking.service.RunArtifacts;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * MLflow's artifacts/list (service.proto ListArtifacts) over the run's artifacts in the artifact bucket, the same
 * objects the proxy serves: one level deep, paths relative to the run's artifact root. Like MLflow's server it
 * answers every entry on one page: {@code page_token} is taken and no {@code next_page_token} is given.
 */
@Path(MlflowApi.PATH)
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow artifacts", description = "MLflow's artifact proxy: a run's artifacts in the artifact store")
public class ArtifactsResource {

    private final RunArtifacts artifacts;
    private final MlflowArtifactPaths paths;

    public ArtifactsResource(RunArtifacts artifacts, MlflowArtifactPaths paths) {
        this.artifacts = artifacts;
        this.paths = paths;
    }

    /** MLflow leaves an empty list out. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Listed(String rootUri, List<ArtifactProxyResource.FileInfo> files) {
    }

    @GET
    @Path("artifacts/list")
    public Listed list(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                       @QueryParam("path") String path) {
        String relative = paths.relativePath("path", path);
        RunArtifacts.RunListing listing = artifacts.list(
                MlflowRequest.ofQuery("run_id", runId, "run_uuid", runUuid).runId(), relative);
        return new Listed(listing.rootUri(), listing.entries().stream()
                .map(entry -> ArtifactProxyResource.FileInfo.of(relative.isEmpty() ? entry.name()
                        : relative + "/" + entry.name(), entry))
                .toList());
    }
}
