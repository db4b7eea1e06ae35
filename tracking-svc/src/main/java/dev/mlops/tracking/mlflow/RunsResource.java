package dev.mlops.tracking.mlflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.mlops.tracking.Run;
import dev.mlops.tracking.repository.RunQuery;
import dev.mlops.tracking.service.LogBatch;
import dev.mlops.tracking.service.RunInputs;
import dev.mlops.tracking.service.RunService;
import dev.mlops.tracking.service.TrackedRuns;
import dev.mlops.tracking.rest.IgnoresUnknownQueryParameters;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;

/** MLflow's runs API (service.proto: CreateRun ... LogBatch, GetMetricHistory). */
@Path(MlflowApi.PATH)
@Produces(MediaType.APPLICATION_JSON)
@IgnoresUnknownQueryParameters
@Tag(name = "MLflow runs", description = "MLflow REST API 2.0: runs, what they log, metric history")
public class RunsResource {

    private final TrackedRuns trackedRuns;
    private final RunService runService;
    private final RunInputs runInputs;

    public RunsResource(TrackedRuns trackedRuns, RunService runService, RunInputs runInputs) {
        this.trackedRuns = trackedRuns;
        this.runService = runService;
        this.runInputs = runInputs;
    }

    record OneRun(MlflowViews.RunView run) {
    }

    record Updated(@JsonProperty("run_info") MlflowViews.RunInfo runInfo) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Found(List<MlflowViews.RunView> runs, String nextPageToken) {
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record History(List<MlflowViews.MetricView> metrics, String nextPageToken) {
    }

    @POST
    @Path("runs/create")
    public OneRun create(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        String experimentId = request.string("experiment_id");
        Run run = trackedRuns.create(experimentId == null || experimentId.isEmpty() ? 0
                        : request.experimentId("experiment_id"), request.string("user_id"), emptyToNull(request.string("run_name")),
                request.int64("start_time"), request.keyValues("tags"));
        return new OneRun(MlflowViews.run(trackedRuns.read(run.id)));
    }

    @POST
    @Path("runs/search")
    public Found search(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        RunQuery query = RunSearch.query(request);
        TrackedRuns.Found found = trackedRuns.search(query);
        // no token on the last page: the Java client loops on an empty one
        return new Found(found.runs().stream().map(MlflowViews::run).toList(),
                found.more() ? PageToken.of(query.offset() + query.limit(), RunSearch.search(request)) : null);
    }

    @GET
    @Path("runs/get")
    public OneRun get(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid) {
        String id = MlflowRequest.ofQuery("run_id", runId, "run_uuid", runUuid).runId();
        MlflowViews.RunView run = MlflowViews.run(trackedRuns.read(id));
        return new OneRun(new MlflowViews.RunView(run.info(), run.data(), InputsResource.inputs(runInputs.of(id))));
    }

    @POST
    @Path("runs/update")
    public Updated update(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        String status = request.string("status");
        Run run = trackedRuns.update(request.runId(), status == null ? null : MlflowViews.status("status", status),
                request.int64("end_time"), request.string("run_name"));
        return new Updated(MlflowViews.info(run));
    }

    @POST
    @Path("runs/delete")
    public Map<String, Object> delete(String body) {
        trackedRuns.setDeleted(MlflowRequest.ofBody(body).runId(), true);
        return Map.of();
    }

    @POST
    @Path("runs/restore")
    public Map<String, Object> restore(String body) {
        trackedRuns.setDeleted(MlflowRequest.ofBody(body).runId(), false);
        return Map.of();
    }

    @POST
    @Path("runs/set-tag")
    public Map<String, Object> setTag(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return log(request, List.of(), List.of(), List.of(tag(request)));
    }

    @POST
    @Path("runs/delete-tag")
    public Map<String, Object> deleteTag(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        trackedRuns.deleteTag(request.runId(), request.required("key"));
        return Map.of();
    }

    @POST
    @Path("runs/log-parameter")
    public Map<String, Object> logParameter(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return log(request, List.of(), List.of(param(request)), List.of());
    }

    @POST
    @Path("runs/log-metric")
    public Map<String, Object> logMetric(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return log(request, List.of(metric(request)), List.of(), List.of());
    }

    @POST
    @Path("runs/log-batch")
    public Map<String, Object> logBatch(String body) {
        MlflowRequest request = MlflowRequest.ofBody(body);
        return log(request, request.list("metrics").stream().map(RunsResource::metric).toList(),
                request.list("params").stream().map(RunsResource::param).toList(),
                request.list("tags").stream().map(RunsResource::tag).toList());
    }

    /**
     * Every point, by step then timestamp: on one page unless max_results asks for pages (the Java client sends
     * none, and fails when a page token comes back).
     */
    @GET
    @Path("metrics/get-history")
    public History history(@QueryParam("run_id") String runId, @QueryParam("run_uuid") String runUuid,
                           @QueryParam("metric_key") String metricKey, @QueryParam("max_results") String maxResults,
                           @QueryParam("page_token") String pageToken) {
        MlflowRequest request = MlflowRequest.ofQuery("run_id", runId, "run_uuid", runUuid, "metric_key", metricKey,
                "max_results", maxResults, "page_token", pageToken);
        List<MlflowViews.MetricView> points = runService.history(request.runId(), request.required("metric_key"))
                .stream().map(MlflowViews::metric).toList();
        if (maxResults == null) {
            return new History(points, null);
        }
        String search = request.runId() + "|" + metricKey;
        int offset = PageToken.offset(pageToken, search);
        int size = request.pageSize();
        return new History(PageToken.page(points, offset, size), PageToken.next(offset, size, points.size(), search));
    }

    private Map<String, Object> log(MlflowRequest request, List<LogBatch.Metric> metrics, List<LogBatch.Param> params,
                                    List<LogBatch.Tag> tags) {
        runService.logBatch(request.runId(), new LogBatch(metrics, params, tags));
        return Map.of();
    }

    private static LogBatch.Metric metric(MlflowRequest m) {
        return new LogBatch.Metric(m.string("key"), m.decimal("value"), m.int64("step"), m.int64("timestamp"));
    }

    private static LogBatch.Param param(MlflowRequest p) {
        return new LogBatch.Param(p.string("key"), p.string("value"));
    }

    private static LogBatch.Tag tag(MlflowRequest t) {
        return new LogBatch.Tag(t.string("key"), t.string("value"));
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
