package dev.mlops.tracking.repository;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.Query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * runs/search in one SQL query: each metric is its latest value (run_latest_metric), a run
 * lacking what a condition names does not match, and what an order names sorts last when missing (as in MLflow).
 */
@ApplicationScoped
public class RunSearchRepository {

    /** The ids of the page's runs, in order; one more than the limit when there is a next page. */
    @SuppressWarnings("unchecked")
    public List<String> ids(RunQuery query) {
        List<Object> parameters = new ArrayList<>();
        // one join per metric named: its latest value, null when the run lacks it (a condition then fails)
        Map<String, String> metricJoins = new LinkedHashMap<>();
        query.conditions().stream().filter(c -> c.subject() == RunQuery.Subject.METRIC)
                .forEach(c -> metricJoins.computeIfAbsent(c.key(), key -> "m" + metricJoins.size()));
        query.order().stream().filter(o -> o.subject() == RunQuery.Subject.METRIC)
                .forEach(o -> metricJoins.computeIfAbsent(o.key(), key -> "m" + metricJoins.size()));
        StringBuilder sql = new StringBuilder("SELECT r.id FROM run r");
        metricJoins.forEach((key, alias) -> sql.append(" LEFT JOIN run_latest_metric ").append(alias).append(" ON ")
                .append(alias).append(".run_id = r.id AND ").append(alias).append(".key = ")
                .append(placeholder(parameters, key)));
        sql.append(" WHERE r.experiment_id IN (")
                .append(placeholders(parameters, new ArrayList<>(query.experimentIds())))
                .append(") AND r.lifecycle_stage IN (")
                .append(placeholders(parameters, new ArrayList<>(query.lifecycleStages()))).append(')');
        for (RunQuery.Condition condition : query.conditions()) {
            sql.append(" AND ").append(subject(condition.subject(), condition.key(), parameters, metricJoins))
                    .append(' ').append(condition.operator()).append(' ');
            if (condition.operator().equals("IN")) {
                sql.append('(').append(placeholders(parameters, condition.values())).append(')');
            } else {
                sql.append(placeholders(parameters, condition.values()));
            }
        }
        sql.append(" ORDER BY ");
        for (RunQuery.Order order : query.order()) {
            sql.append(subject(order.subject(), order.key(), parameters, metricJoins))
                    .append(order.ascending() ? " ASC" : " DESC").append(" NULLS LAST, ");
        }
        sql.append("r.created_at DESC, r.id ASC LIMIT ").append(query.limit() + 1).append(" OFFSET ").append(query.offset());
        Query native_ = Panache.getEntityManager().createNativeQuery(sql.toString());
        for (int i = 0; i < parameters.size(); i++) {
            native_.setParameter(i + 1, parameters.get(i));
        }
        return native_.getResultList();
    }

    private static String subject(RunQuery.Subject subject, String key, List<Object> parameters,
                                  Map<String, String> metricJoins) {
        return switch (subject) {
            case METRIC -> metricJoins.get(key) + ".value";
            case PARAM -> "(SELECT p.value FROM run_param p WHERE p.run_id = r.id AND p.key = "
                    + placeholder(parameters, key) + ")";
            case TAG -> "(SELECT t.value FROM run_tag t WHERE t.run_id = r.id AND t.key = "
                    + placeholder(parameters, key) + ")";
            case COLUMN -> RunQuery.Column.valueOf(key).sql;
        };
    }

    private static String placeholders(List<Object> parameters, List<Object> values) {
        return String.join(", ", values.stream().map(value -> placeholder(parameters, value)).toList());
    }

    private static String placeholder(List<Object> parameters, Object value) {
        parameters.add(value);
        return "?" + parameters.size();
    }
}
