package dev.mlops.tracking.ui;

import dev.mlops.tracking.service.RunChangeFeed;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The web UI's live feed, as server-sent events: {@code event: stage} for every stage status or completion
 * tracking-svc records, {@code event: run} with the run's status after it; a comment every
 * {@link #KEEP_ALIVE} keeps proxies from closing an idle stream. Pages re-read what an event concerns.
 */
@Path("/ui/events")
@Tag(name = "Web UI", description = "The web UI's session")
public class UiEventsResource {

    static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

    private final RunChangeFeed feed;

    public UiEventsResource(RunChangeFeed feed) {
        this.feed = feed;
    }

    @GET
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Operation(summary = "Stage and run changes as server-sent events (event: stage | run, data: JSON)")
    public Multi<OutboundSseEvent> events(@Context Sse sse) {
        Multi<OutboundSseEvent> changes = feed.changes()
                .map(change -> sse.newEventBuilder().name(change.kind()).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(data(change)).build());
        Multi<OutboundSseEvent> keepAlive = Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(KEEP_ALIVE)
                .map(tick -> sse.newEventBuilder().comment("keep-alive").build());
        // the first comment goes out at once: the browser sees the stream open before any change happens
        return Multi.createBy().merging().streams(changes, keepAlive);
    }

    private static Map<String, Object> data(RunChangeFeed.Change change) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("runId", change.runId());
        if (change.stage() != null) {
            data.put("stage", change.stage());
        }
        data.put("status", change.status());
        if (change.attempt() != null) {
            data.put("attempt", change.attempt());
            data.put("progress", change.progress());
        }
        return data;
    }
}
