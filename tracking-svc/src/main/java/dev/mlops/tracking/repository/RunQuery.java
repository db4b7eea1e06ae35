package dev.mlops.tracking.repository;

import java.util.List;

/**
 * A runs/search as the database runs it: runs of these experiments in these lifecycle stages, every condition
 * true (AND), in this order, one page.
 *
 * @param conditions compare the latest value of a metric, a param, a tag or a run column with values
 * @param order      then the newest first, then by id
 */
public record RunQuery(List<Long> experimentIds, List<String> lifecycleStages, List<Condition> conditions,
                       List<Order> order, int offset, int limit) {

    /** What a condition or an order compares: a metric's latest value, a param, a tag, or a column of the run. */
    public enum Subject { METRIC, PARAM, TAG, COLUMN }

    /** The run's columns that filters and orders name: MLflow's attributes. */
    public enum Column {
        RUN_ID("r.id"), RUN_NAME("r.name"), STATUS("r.status"), USER_ID("r.user_id"),
        START_TIME("(extract(epoch from r.created_at) * 1000)::bigint"),
        END_TIME("(extract(epoch from r.finished_at) * 1000)::bigint");

        final String sql;

        Column(String sql) {
            this.sql = sql;
        }
    }

    /**
     * @param key      the metric, param or tag key; for COLUMN the {@link Column} name
     * @param operator =, !=, >, >=, <, <=, LIKE, ILIKE or IN
     * @param values   Strings, or Doubles for metrics and times; several only for IN
     */
    public record Condition(Subject subject, String key, String operator, List<Object> values) {
    }

    public record Order(Subject subject, String key, boolean ascending) {
    }
}
