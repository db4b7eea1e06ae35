package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import dev.mlops.tracking.service.MlflowRegistry;
import dev.mlops.tracking.service.RegistryEntries.ModelEntry;
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

/**
 * MLflow's registered-models API (model_registry.proto: CreateRegisteredModel ... GetModelVersionByAlias) over the
 * pipeline's own registry: its models, versions and aliases (the deploy stage's {@code production}) answer here too.
 */
@Path(MlflowApi.PATH + "/registered-models")
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow model registry", description = "MLflow REST API 2.0: registered models, versions, aliases")
public class RegisteredModelsResource {

    static final int DEFAULT_PAGE_SIZE = 100;
    static final int MAX_PAGE_SIZE = 1000;

    private final MlflowRegistry registry;

    public RegisteredModelsResource(MlflowRegistry registry) {
        this.registry = registry;
    }

    record OneModel(@JsonProperty("registered_model") RegistryViews.RegisteredModelView registeredModel) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Found(List<RegistryViews.RegisteredModelView> registeredModels, String nextPageToken) {
    }

    record Versions(@JsonProperty("model_versions") List<RegistryViews.ModelVersionView> modelVersions) {
    }

    record OneVersion(@JsonProperty("model_version") RegistryViews.ModelVersionView modelVersion) {
    }

    @POST
    @Path("create")
    public OneModel create(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.createModel(request.string("name"), request.string("description"),
                request.keyValues("tags")));
    }

    @GET
    @Path("get")
    public OneModel get(@Context UriInfo uri) {
        return one(registry.model(MlflowRequest.ofQuery(uri.getQueryParameters()).required("name")));
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

    @POST
    @Path("rename")
    public OneModel rename(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.rename(request.required("name"), request.string("new_name")));
    }

    @PATCH
    @Path("update")
    public OneModel update(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return one(registry.updateModel(request.required("name"), request.string("description")));
    }

    @DELETE
    @Path("delete")
    public Map<String, Object> delete(String body, @Context UriInfo uri) {
        registry.deleteModel(MlflowRequest.of(body, uri).required("name"));
        return Map.of();
    }

    @POST
    @Path("set-tag")
    public Map<String, Object> setTag(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        registry.setModelTag(request.required("name"), request.string("key"), request.string("value"));
        return Map.of();
    }

    @DELETE
    @Path("delete-tag")
    public Map<String, Object> deleteTag(String body, @Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.of(body, uri);
        registry.deleteModelTag(request.required("name"), request.string("key"));
        return Map.of();
    }

    @GET
    @Path("get-latest-versions")
    public Versions latestVersionsByQuery(@Context UriInfo uri) {
        return latestVersions(MlflowRequest.ofQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("get-latest-versions")
    public Versions latestVersions(String body) {
        return latestVersions(MlflowRequest.ofBody(body));
    }

    /** Sets or moves an alias: a registry change only, nothing is deployed. */
    @POST
    @Path("alias")
    public Map<String, Object> setAlias(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        registry.setAlias(request.required("name"), request.string("alias"), request.required("version"));
        return Map.of();
    }

    @DELETE
    @Path("alias")
    public Map<String, Object> deleteAlias(String body, @Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.of(body, uri);
        registry.deleteAlias(request.required("name"), request.string("alias"));
        return Map.of();
    }

    @GET
    @Path("alias")
    public OneVersion byAlias(@Context UriInfo uri) {
        MlflowRequest request = MlflowRequest.ofQuery(uri.getQueryParameters());
        return new OneVersion(RegistryViews.version(registry.byAlias(request.required("name"),
                request.required("alias"))));
    }

    private Versions latestVersions(MlflowRequest request) {
        return new Versions(registry.latestVersions(request.required("name"), request.strings("stages")).stream()
                .map(RegistryViews::version).toList());
    }

    private Found search(MlflowRequest request) {
        List<String> orderBy = request.strings("order_by");
        List<ModelEntry> matching = registry.allModels().stream()
                .filter(RegistrySearch.models(request.filter()))
                .sorted(RegistrySearch.modelOrder(orderBy))
                .toList();
        PageToken.Slice<ModelEntry> page = PageToken.slice(matching, request.string("page_token"),
                request.pageSize(DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE), "registered-models|" + request.filter() + "|" + orderBy);
        return new Found(page.items().stream().map(RegistryViews::model).toList(), page.next());
    }

    private static OneModel one(ModelEntry entry) {
        return new OneModel(RegistryViews.model(entry));
    }
}
