package dev.mlops.tracking.schedule;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The body of POST /schedules (every field but name and cron optional) and of PATCH /schedules/{name} (the fields
 * to change). {@code spec} is a pipeline spec, read as POST /pipelines reads one.
 */
public record ScheduleRequest(String name, String cron, String timezone, String concurrencyPolicy, Boolean suspend,
                              JsonNode spec) {
}
