package dev.mlops.tracking.rest;

import dev.mlops.common.json.Json;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.ModelPromotions;
import dev.mlops.tracking.service.ModelRegistry;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.util.List;

@Path("/models")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Model registry", description = "Registered models, versions and aliases (MLflow-like)")
public class ModelResource {

    static final int DEFAULT_MAX_RESULTS = 100;
    static final int MAX_RESULTS_CAP = 1000;

    private final ModelRegistry registry;
    private final ModelPromotions promotions;

    public ModelResource(ModelRegistry registry, ModelPromotions promotions) {
        this.registry = registry;
        this.promotions = promotions;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a registered model: {\"name\", \"description\"}")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "409", description = "A model of that name exists")
    public Response create(String body, @Context UriInfo uriInfo) {
        ModelViews.CreateModelRequest request = Json.read(body, ModelViews.CreateModelRequest.class);
        ModelViews.ModelView model = ModelViews.of(registry.create(request.name(), request.description()));
        return Response.created(modelUri(uriInfo, model.name())).entity(model).build();
    }

    @GET
    @Operation(summary = "Registered models by name, a page at a time",
            description = "max_results (1-" + MAX_RESULTS_CAP + ", default " + DEFAULT_MAX_RESULTS + ") per page;"
                    + " pass the answer's next_page_token as page_token for the next page (none on the last).")
    @APIResponse(responseCode = "400", description = "Bad max_results or page_token")
    public ModelViews.ModelList list(@QueryParam("max_results") String maxResults,
                                     @QueryParam("page_token") String pageToken) {
        int limit = maxResults(maxResults);
        List<ModelRegistry.ModelDetails> page = registry.list(ModelViews.pageTokenName(pageToken), limit + 1);
        String next = page.size() > limit ? ModelViews.pageToken(page.get(limit - 1).model().name) : null;
        return new ModelViews.ModelList(page.stream().limit(limit).map(ModelViews::of).toList(), next);
    }

    @GET
    @Path("{name}")
    @Operation(summary = "A registered model with its latest version and aliases")
    public ModelViews.ModelView get(@PathParam("name") String name) {
        return ModelViews.of(registry.get(name));
    }

    @POST
    @Path("{name}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Register a version: {\"runId\", \"artifactUri\", \"attempt\"}; creates the model if missing",
            description = "Idempotent per run attempt: registering the same runId and attempt again answers 200"
                    + " with the version created the first time.")
    @APIResponse(responseCode = "201", description = "New version")
    @APIResponse(responseCode = "200", description = "This run attempt's existing version")
    public Response registerVersion(@PathParam("name") String name, String body, @Context UriInfo uriInfo) {
        ModelViews.CreateVersionRequest request = Json.read(body, ModelViews.CreateVersionRequest.class);
        ModelRegistry.Registration registration = registry.registerVersion(name, request.runId(),
                request.artifactUri(), request.attempt());
        ModelViews.VersionView version = ModelViews.of(registration.version());
        URI location = uriInfo.getBaseUriBuilder().path("models").path(name).path("versions")
                .path(String.valueOf(version.version())).build();
        return (registration.created() ? Response.created(location) : Response.ok().location(location))
                .entity(version).build();
    }

    @GET
    @Path("{name}/versions")
    @Operation(summary = "A model's versions, newest first")
    public ModelViews.VersionList versions(@PathParam("name") String name) {
        return new ModelViews.VersionList(registry.versions(name).stream().map(ModelViews::of).toList());
    }

    @GET
    @Path("{name}/versions/{version}")
    public ModelViews.VersionView version(@PathParam("name") String name, @PathParam("version") String version) {
        return ModelViews.of(registry.version(name, version));
    }

    @POST
    @Path("{name}/aliases/{alias}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Point an alias at a version: {\"version\": N}")
    public ModelViews.VersionView setAlias(@PathParam("name") String name, @PathParam("alias") String alias,
                                           String body) {
        ModelViews.SetAliasRequest request = Json.read(body, ModelViews.SetAliasRequest.class);
        return ModelViews.of(registry.setAlias(name, alias, request.version()));
    }

    @POST
    @Path("{name}/promote")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Deploy a version (promote, or roll back): {\"version\": N}",
            description = "Re-runs the deploy stage of the version's run (a retry from deploy, with the next attempt):"
                    + " the same rollout and inference test as any deploy, and production points at the version once"
                    + " it serves.")
    @APIResponse(responseCode = "202", description = "{\"runId\", \"from\": \"deploy\", \"attempt\"}: follow the run")
    @APIResponse(responseCode = "400", description = "No such version of the model")
    @APIResponse(responseCode = "404", description = "No such model")
    @APIResponse(responseCode = "409", description = "The version's run is RUNNING, or never built an image")
    public Response promote(@PathParam("name") String name, String body, @Context UriInfo uriInfo) {
        ModelViews.SetAliasRequest request = Json.read(body, ModelViews.SetAliasRequest.class);
        return RunViews.retryStarted(promotions.promote(name, request.version()), uriInfo);
    }

    @GET
    @Path("{name}/aliases/{alias}")
    @Operation(summary = "The version an alias points at")
    public ModelViews.VersionView alias(@PathParam("name") String name, @PathParam("alias") String alias) {
        return ModelViews.of(registry.alias(name, alias));
    }

    @DELETE
    @Path("{name}/aliases/{alias}")
    @APIResponse(responseCode = "204", description = "Alias removed")
    public void deleteAlias(@PathParam("name") String name, @PathParam("alias") String alias) {
        registry.deleteAlias(name, alias);
    }

    private static int maxResults(String value) {
        if (value == null) {
            return DEFAULT_MAX_RESULTS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= MAX_RESULTS_CAP) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new InvalidInput("max_results", "max_results must be a whole number from 1 to " + MAX_RESULTS_CAP
                + ", got '" + Text.quote(value) + "'");
    }

    private static URI modelUri(UriInfo uriInfo, String name) {
        return uriInfo.getBaseUriBuilder().path("models").path(name).build();
    }
}
