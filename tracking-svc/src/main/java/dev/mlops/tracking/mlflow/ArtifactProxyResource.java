package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.repository.ArtifactObjects;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import dev.mlops.tracking.service.MlflowArtifactPaths;
import dev.mlops.tracking.service.NotFound;
import dev.mlops.tracking.service.RunArtifacts;
import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpServerRequest;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * MLflow's artifact proxy (mlflow_artifacts.proto, as {@code mlflow server --serve-artifacts} serves it): upload,
 * download, list and delete under {@code <experimentId>/<runId>/artifacts/<path>}, streamed to and from the
 * artifact bucket where {@link MlflowArtifactPaths} says. The path is read from the raw request line (not the one
 * the router normalized), so '..' and encoded forms of it are seen and refused.
 */
@Path("/{prefix:api|ajax-api}/2.0/mlflow-artifacts")
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow artifacts", description = "MLflow's artifact proxy: a run's artifacts in the artifact store")
public class ArtifactProxyResource {

    private static final String ARTIFACTS = "/mlflow-artifacts/artifacts/";

    private final RunArtifacts artifacts;
    private final MlflowArtifactPaths paths;
    private final long maxArtifactBytes;

    public ArtifactProxyResource(RunArtifacts artifacts, MlflowArtifactPaths paths,
                                 @ConfigProperty(name = "mlops.mlflow.max-artifact-bytes") MemorySize maxArtifactBytes) {
        this.artifacts = artifacts;
        this.paths = paths;
        this.maxArtifactBytes = maxArtifactBytes.asLongValue();
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record FileInfo(String path, boolean isDir, Long fileSize) {

        static FileInfo of(String path, ArtifactObjects.Entry entry) {
            return new FileInfo(path, entry.directory(), entry.size());
        }
    }

    /** MLflow leaves an empty list out of its JSON. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    record Listing(List<FileInfo> files) {
    }

    @PUT
    @Path("artifacts/{path:.+}")
    @Consumes(MediaType.WILDCARD)
    public Map<String, Object> upload(@Context HttpServerRequest request, InputStream body) {
        MlflowArtifactPaths.RunPath path = path(request);
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        artifacts.upload(path, body, length == null ? -1 : Long.parseLong(length.trim()), maxArtifactBytes,
                ArtifactContentTypes.of(path.relativePath()));
        return Map.of();
    }

    @GET
    @Path("artifacts/{path:.+}")
    public Response download(@Context HttpServerRequest request) {
        MlflowArtifactPaths.RunPath path = path(request);
        ArtifactObjects.Download download = artifacts.download(path)
                .orElseThrow(() -> new NotFound("no artifact at '" + path.proxyPath() + "'"));
        String name = path.relativePath().substring(path.relativePath().lastIndexOf('/') + 1);
        StreamingOutput body = output -> {
            try (InputStream in = download.content()) {
                in.transferTo(output);
            }
        };
        Response.ResponseBuilder response = Response.ok(body, ArtifactContentTypes.of(name))
                .header("Content-Disposition", "attachment; filename=" + name)
                .header("X-Content-Type-Options", "nosniff");
        return download.length() == null ? response.build()
                : response.header(HttpHeaders.CONTENT_LENGTH, download.length()).build();
    }

    /** One level under {@code path}, each entry by its name (MLflow's proxy answers basenames). */
    @GET
    @Path("artifacts")
    public Listing list(@QueryParam("path") String path) {
        MlflowArtifactPaths.RunPath dir = paths.parse("path", path == null ? "" : path);
        return new Listing(artifacts.list(dir).stream().map(entry -> FileInfo.of(entry.name(), entry)).toList());
    }

    @DELETE
    @Path("artifacts/{path:.+}")
    public Map<String, Object> delete(@Context HttpServerRequest request) {
        artifacts.delete(path(request));
        return Map.of();
    }

    private MlflowArtifactPaths.RunPath path(HttpServerRequest request) {
        String raw = request.path();
        return paths.parse("path", raw.substring(raw.indexOf(ARTIFACTS) + ARTIFACTS.length()));
    }
}
