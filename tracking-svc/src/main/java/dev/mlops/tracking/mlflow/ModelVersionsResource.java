package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import dev.mlops.tracking.service.MlflowRegistry;
import dev.mlops.tracking.service.RegistryEntries.VersionEntry;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** MLflow's model-versions API (model_registry.proto: CreateModelVersion ... TransitionModelVersionStage). */
@Path(MlflowApi.PATH + "/model-versions")
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow model registry", description = "MLflow REST API 2.0: registered models, versions, aliases")
public class ModelVersionsResource {

    static final int DEFAULT_PAGE_SIZE = 10_000;
    static final int MAX_PAGE_SIZE = 200_000;

    private final MlflowRegistry registry;

    public ModelVersionsResource(MlflowRegistry registry) {
        this.registry = registry;
    }

    record OneVersion(@JsonProperty("model_version") RegistryViews.ModelVersionView modelVersion) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Found(List<RegistryViews.ModelVersionView> modelVersions, String nextPageToken) {
    }

    record DownloadUri(@JsonProperty("artifact_uri") String artifactUri) {
    }

    @POST
    @Path("create")
    public OneVersion create(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.createVersion(request.string("name"), request.string("source"),
                request.optional("run_id"), request.optional("run_link"),
                request.string("description"), request.keyValues("tags")));
    }

    @GET
    @Path("get")
    public OneVersion get(@Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.ofQuery(uri.getQueryParameters());
        return one(registry.version(request.required("name"), request.required("version")));
    }

    @PATCH
    @Path("update")
    public OneVersion update(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.updateVersion(request.required("name"), request.required("version"),
                request.string("description")));
    }

    @DELETE
    @Path("delete")
    public Map<String, Object> delete(String body, @Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.of(body, uri);
        registry.deleteVersion(request.required("name"), request.required("version"));
        return Map.of();
    }

    @GET
    @Path("search")
    public Found searchByQuery(@Context UriInfo uri) {
        return search(MlflowRequest.ofQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("search")
    public Found search(String body) {
        return search(MlflowRequest.ofBody(body));
    }

    @GET
    @Path("get-download-uri")
    public DownloadUri downloadUri(@Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.ofQuery(uri.getQueryParameters());
        return new DownloadUri(registry.version(request.required("name"), request.required("version")).source());
    }

    @POST
    @Path("set-tag")
    public Map<String, Object> setTag(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        registry.setVersionTag(request.required("name"), request.required("version"), request.string("key"),
                request.string("value"));
        return Map.of();
    }

    @DELETE
    @Path("delete-tag")
    public Map<String, Object> deleteTag(String body, @Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.of(body, uri);
        registry.deleteVersionTag(request.required("name"), request.required("version"), request.string("key"));
        return Map.of();
    }

    @POST
    @Path("transition-stage")
    public OneVersion transitionStage(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.transitionStage(request.required("name"), request.required("version"),
                request.required("stage"), request.bool("archive_existing_versions")));
    }

    private Found search(MlflowRequest request) {
        List<String> orderBy = request.strings("order_by");
        List<VersionEntry> matching = registry.allVersions().stream()
                .filter(RegistrySearch.versions(request.filter()))
                .sorted(RegistrySearch.versionOrder(orderBy))
                .toList();
        PageToken.Slice<VersionEntry> page = PageToken.slice(matching, request.string("page_token"),
                request.pageSize(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), "model-versions|" + request.filter() + "|" + orderBy);
        return new Found(page.items().stream().map(RegistryViews::version).toList(), page.next());
    }

    private static OneVersion one(VersionEntry entry) {
        return new OneVersion(RegistryViews.version(entry));
    }
}
