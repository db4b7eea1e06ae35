package dev.mlops.tracking.schedule;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.mlops.common.json.Json;
import dev.mlops.common.spec.PipelineSpec;

import java.time.Instant;
import java.util.List;

/** A schedule as the API answers it: its definition, then what its ticks did. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ScheduleView(String name, String cron, String timezone, ConcurrencyPolicy concurrencyPolicy,
                           boolean suspend, PipelineSpec spec, Instant createdAt, Instant nextRunAt, String lastRunId,
                           Instant lastRunAt, Instant lastSkippedAt, String lastError) {

    public record Page(List<ScheduleView> schedules) {
    }

    static ScheduleView of(Schedule s) {
        return new ScheduleView(s.name, s.cron, s.timezone, s.concurrencyPolicy, s.suspended,
                Json.read(s.spec, PipelineSpec.class), s.createdAt, s.nextRunAt, s.lastRunId, s.lastRunAt,
                s.lastSkippedAt, s.lastError);
    }
}
