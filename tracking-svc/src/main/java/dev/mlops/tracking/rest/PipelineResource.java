package dev.mlops.tracking.rest;

import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.common.spec.PipelineSpecs;
import dev.mlops.common.spec.WorkLimits;
import dev.mlops.common.text.Text;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.config.PipelineConfig;
import dev.mlops.tracking.service.InvalidInput;
import dev.mlops.tracking.service.LogBatch;
import dev.mlops.tracking.service.PipelineLauncher;
import dev.mlops.tracking.service.RunRetries;
import dev.mlops.tracking.service.RunStops;
import dev.mlops.tracking.service.RunService;
import dev.mlops.tracking.service.ServedModel;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

@Path("/pipelines")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pipelines", description = "Pipeline runs: start, follow, log to")
public class PipelineResource {

    private final PipelineLauncher launcher;
    private final RunService runs;
    private final RunRetries retries;
    private final RunStops stops;
    private final PipelineConfig config;
    private final WorkLimits limits;
    private final ServedModel servedModel;

    public PipelineResource(PipelineLauncher launcher, RunService runs, RunRetries retries, RunStops stops,
                            PipelineConfig config, WorkLimits limits, ServedModel servedModel) {
        this.launcher = launcher;
        this.runs = runs;
        this.retries = retries;
        this.stops = stops;
        this.config = config;
        this.limits = limits;
        this.servedModel = servedModel;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Start a pipeline run", description = "The body is a pipeline spec; {} runs the default"
            + " Titanic pipeline. Fields left out take their defaults.")
    @RequestBody(description = "Pipeline spec (every field optional)")
    @APIResponse(responseCode = "202", description = "Run recorded and its request published: {\"runId\": ...}")
    @APIResponse(responseCode = "400", description = "Invalid spec, or one asking for more work than mlops.limits.*"
            + " allow: error_code, message and field")
    @APIResponse(responseCode = "415", description = "The body is not application/json")
    @APIResponse(responseCode = "503", description = "Kafka refused the request event; the run is FAILED")
    public Response start(String body, @Context UriInfo uriInfo) {
        PipelineSpec spec = PipelineSpecs.parse(body, config.defaultDatasetUri(), limits);
        String runId = launcher.start(spec);
        return Response.accepted(new RunViews.PipelineStarted(runId))
                .location(uriInfo.getBaseUriBuilder().path("pipelines").path(runId).build())
                .build();
    }

    @GET
    @Path("defaults")
    @Operation(summary = "The default pipeline spec, every field filled: what POST /pipelines with {} runs")
    public PipelineSpec defaults() {
        return PipelineSpecs.parse("{}", config.defaultDatasetUri(), limits);
    }

    @POST
    @Path("{runId}/invocations")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Score records with the model the run deployed (MLflow's scoring JSON), through its"
            + " serving URL: the answer is the model-server's")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run serves no model (its deploy has not completed)")
    @APIResponse(responseCode = "502", description = "The serving endpoint does not answer")
    public Response invocations(@PathParam("runId") String runId, String body) {
        ServedModel.Answer answer = servedModel.score(runId, body);
        return Response.status(answer.status()).type(answer.contentType()).entity(answer.body()).build();
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "A run: status, stages with every attempt, params, metrics, tags, artifacts, serving URL")
    @APIResponse(responseCode = "404", description = "No such run")
    public RunViews.RunView get(@PathParam("runId") String runId) {
        return RunViews.of(runs.details(runId));
    }

    @GET
    @Operation(summary = "Runs, newest first; ?status=RUNNING|SUCCEEDED|FAILED|KILLED keeps only the runs in that"
            + " status")
    @APIResponse(responseCode = "400", description = "Bad page, size or status, or an unknown query parameter")
    public RunViews.RunPage list(@QueryParam("page") @DefaultValue("0") String page,
                                 @QueryParam("size") @DefaultValue("20") String size,
                                 @QueryParam("status") String status) {
        int pageNumber = integer("page", page);
        int pageSize = integer("size", size);
        RunService.Page result = runs.page(status == null ? null : status(status), pageNumber, pageSize);
        return new RunViews.RunPage(result.runs().stream().map(RunViews::summary).toList(), pageNumber, pageSize,
                result.total());
    }

    @POST
    @Path("{runId}/retry")
    @Operation(summary = "Retry a finished run from a stage",
            description = "Re-publishes the stage's input event (the previous stage's completed event; for ingest the"
                    + " pipeline request) with attempt = the run's highest attempt + 1: the stage and every later one"
                    + " run again. Without 'from', the stage that did not complete in the newest attempt.")
    @APIResponse(responseCode = "202", description = "Published: {\"runId\", \"from\", \"attempt\"}; the run is RUNNING")
    @APIResponse(responseCode = "400", description = "Unknown stage")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run is RUNNING, does not go through that stage, or the"
            + " previous stage never completed")
    @APIResponse(responseCode = "503", description = "Kafka refused the event; the new attempt is FAILED")
    public Response retry(@PathParam("runId") String runId, @QueryParam("from") String from,
                          @Context UriInfo uriInfo) {
        return RunViews.retryStarted(retries.retry(runId, from), uriInfo);
    }

    @POST
    @Path("{runId}/stop")
    @Operation(summary = "Stop a RUNNING run", description = "The run becomes KILLED (\"stopped by the API\") and no"
            + " later stage of it starts; the stage at work finishes. A retry runs it again.")
    @APIResponse(responseCode = "200", description = "The run, KILLED")
    @APIResponse(responseCode = "404", description = "No such run")
    @APIResponse(responseCode = "409", description = "The run is not RUNNING")
    public RunViews.RunView stop(@PathParam("runId") String runId) {
        stops.stop(runId, RunStops.BY_API);
        return RunViews.of(runs.details(runId));
    }

    @POST
    @Path("{runId}/log-batch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Log metrics, params and tags for a run (MLflow's log-batch)")
    @APIResponse(responseCode = "200", description = "Recorded: {}")
    public Map<String, Object> logBatch(@PathParam("runId") String runId, String body) {
        runs.logBatch(runId, Json.read(body, LogBatch.class));
        return Map.of();
    }

    @GET
    @Path("{runId}/metrics/{key: .+}")
    @Operation(summary = "A metric's history, ordered by step then timestamp")
    public List<RunViews.MetricPoint> metricHistory(@PathParam("runId") String runId, @PathParam("key") String key) {
        return runs.metricHistory(runId, key).stream().map(RunViews::point).toList();
    }

    private static int integer(String field, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidInput(field, field + " must be a whole number, got '" + Text.quote(value) + "'");
        }
    }

    private static RunStatus status(String value) {
        return Arrays.stream(RunStatus.values()).filter(s -> s.name().equals(value)).findFirst()
                .orElseThrow(() -> new InvalidInput("status", "status must be one of "
                        + Arrays.toString(RunStatus.values()) + ", got '" + Text.quote(value) + "'"));
    }
}
