package dev.mlops.tracking.service;

import java.util.List;

/** MLflow's log-batch request: metrics, params and tags to record for a run. Every list may be left out. */
public record LogBatch(List<Metric> metrics, List<Param> params, List<Tag> tags) {

    public LogBatch {
        metrics = metrics == null ? List.of() : metrics;
        params = params == null ? List.of() : params;
        tags = tags == null ? List.of() : tags;
    }

    /** @param step defaults to 0; @param timestamp epoch milliseconds, defaults to now */
    public record Metric(String key, Double value, Long step, Long timestamp) {
    }

    public record Param(String key, String value) {
    }

    public record Tag(String key, String value) {
    }
}
