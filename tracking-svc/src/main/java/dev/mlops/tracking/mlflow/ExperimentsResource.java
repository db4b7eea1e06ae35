package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.LifecycleStage;
import dev.mlops.tracking.service.ExperimentService;
import dev.mlops.tracking.service.ExperimentService.Tagged;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** MLflow's experiments API (service.proto: CreateExperiment ... SetExperimentTag). */
@Path(MlflowApi.PATH + "/experiments")
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow experiments", description = "MLflow REST API 2.0: experiments")
public class ExperimentsResource {

    private final ExperimentService experiments;

    public ExperimentsResource(ExperimentService experiments) {
        this.experiments = experiments;
    }

    record Created(@JsonProperty("experiment_id") String experimentId) {
    }

    record One(MlflowViews.ExperimentView experiment) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Found(List<MlflowViews.ExperimentView> experiments, String nextPageToken) {
    }

    @POST
    @Path("create")
    public Created create(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return new Created(String.valueOf(experiments.create(request.required("name"),
                request.string("artifact_location"), request.keyValues("tags")).id));
    }

    @GET
    @Path("get")
    public One get(@QueryParam("experiment_id") String experimentId) {
        long id = MlflowRequest.ofQuery("experiment_id", experimentId).experimentId("experiment_id");
        return new One(MlflowViews.experiment(experiments.get(id)));
    }

    @GET
    @Path("get-by-name")
    public One getByName(@QueryParam("experiment_name") String name) {
        String required = MlflowRequest.ofQuery("experiment_name", name).required("experiment_name");
        return new One(MlflowViews.experiment(experiments.byName(required)));
    }

    @POST
    @Path("search")
    public Found search(String body) {
        return search(MlflowRequest.ofBody(body));
    }

    @GET
    @Path("search")
    public Found searchByQuery(@Context UriInfo uri) {
        return search(MlflowRequest.ofQuery(uri.getQueryParameters()));
    }

    @POST
    @Path("update")
    public Map<String, Object> update(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        experiments.rename(request.experimentId("experiment_id"), request.required("new_name"));
        return Map.of();
    }

    @POST
    @Path("delete")
    public Map<String, Object> delete(String body) {
        experiments.setDeleted(MlflowRequest.ofBody(body).experimentId("experiment_id"), true);
        return Map.of();
    }

    @POST
    @Path("restore")
    public Map<String, Object> restore(String body) {
        experiments.setDeleted(MlflowRequest.ofBody(body).experimentId("experiment_id"), false);
        return Map.of();
    }

    @POST
    @Path("set-experiment-tag")
    public Map<String, Object> setTag(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        experiments.setTag(request.experimentId("experiment_id"), request.string("key"), request.string("value"));
        return Map.of();
    }

    private Found search(MlflowRequest request) {
        List<String> stages = lifecycleStages(request.string("view_type"));
        List<Tagged> matching = experiments.all(stages).stream()
                .filter(ExperimentSearch.filter(request.filter()))
                .sorted(ExperimentSearch.order(request.strings("order_by")))
                .toList();
        PageToken.Slice<Tagged> page = PageToken.slice(matching, request.string("page_token"), request.pageSize(),
                request.filter() + "|" + request.strings("order_by") + "|" + stages);
        return new Found(page.items().stream().map(MlflowViews::experiment).toList(), page.next());
    }

    /** MLflow's ViewType: ACTIVE_ONLY (the default), DELETED_ONLY or ALL. */
    static List<String> lifecycleStages(String viewType) {
        if (viewType == null || viewType.isEmpty() || viewType.equals("ACTIVE_ONLY") || viewType.equals("1")) {
            return List.of(LifecycleStage.ACTIVE);
        }
        if (viewType.equals("DELETED_ONLY") || viewType.equals("2")) {
            return List.of(LifecycleStage.DELETED);
        }
        if (viewType.equals("ALL") || viewType.equals("3")) {
            return List.of(LifecycleStage.ACTIVE, LifecycleStage.DELETED);
        }
        throw new InvalidInput("view_type", "view_type must be ACTIVE_ONLY, DELETED_ONLY or ALL, got '"
                + Text.quote(viewType) + "'");
    }
}
