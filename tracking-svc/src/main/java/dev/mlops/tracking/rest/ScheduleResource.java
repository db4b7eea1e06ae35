package dev.mlops.tracking.rest;

import dev.mlops.common.json.Json;
import dev.mlops.tracking.schedule.ScheduleRequest;
import dev.mlops.tracking.schedule.ScheduleView;
import dev.mlops.tracking.schedule.Schedules;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Pipeline runs started on a cron schedule, as Argo's CronWorkflow. */
@Path("/schedules")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Schedules", description = "Start a pipeline spec on a cron schedule")
public class ScheduleResource {

    private final Schedules schedules;

    public ScheduleResource(Schedules schedules) {
        this.schedules = schedules;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a schedule", description = "{\"name\", \"cron\": five fields or @hourly/@daily/"
            + "@weekly/@monthly/@yearly, \"timezone\" (default UTC), \"concurrencyPolicy\": Allow|Forbid|Replace"
            + " (default Allow), \"suspend\" (default false), \"spec\": a pipeline spec (default {})}")
    @APIResponse(responseCode = "201", description = "The schedule, with nextRunAt")
    @APIResponse(responseCode = "400", description = "A bad name, cron, timezone, concurrencyPolicy or spec (spec.<field>)")
    @APIResponse(responseCode = "409", description = "A schedule with that name exists")
    public Response create(String body, @Context UriInfo uriInfo) {
        ScheduleView created = schedules.create(Json.read(body, ScheduleRequest.class));
        return Response.created(uriInfo.getBaseUriBuilder().path("schedules").path(created.name()).build())
                .entity(created).build();
    }

    @GET
    @Operation(summary = "Every schedule, by name")
    public ScheduleView.Page list() {
        return new ScheduleView.Page(schedules.list());
    }

    @GET
    @Path("{name}")
    @Operation(summary = "A schedule: its definition, nextRunAt, and its last run (lastRunId, lastRunAt), skipped"
            + " tick (lastSkippedAt) and error")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public ScheduleView get(@PathParam("name") String name) {
        return schedules.get(name);
    }

    @PATCH
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a schedule: the fields given ({\"suspend\": true} suspends, false resumes)",
            description = "A resume, a new cron or timezone sets nextRunAt from now: ticks missed while suspended"
                    + " start nothing.")
    @APIResponse(responseCode = "400", description = "A bad field, as for POST")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public ScheduleView update(@PathParam("name") String name, String body) {
        return schedules.update(name, Json.read(body, ScheduleRequest.class));
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a schedule (the runs it started stay)")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "404", description = "No such schedule")
    public Response delete(@PathParam("name") String name) {
        schedules.delete(name);
        return Response.noContent().build();
    }
}
