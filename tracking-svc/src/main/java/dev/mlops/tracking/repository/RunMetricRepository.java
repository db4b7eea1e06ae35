package dev.mlops.tracking.repository;

import dev.mlops.tracking.RunMetric;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;
import org.hibernate.Session;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Metric points (run_metric) and the latest point of each (run, key) (run_latest_metric), which every write here
 * refreshes from the points it touched, so readers never scan a run's points for its latest values.
 */
@ApplicationScoped
public class RunMetricRepository implements PanacheRepository<RunMetric> {

    /** One logged point: value at a step, timestamp in epoch milliseconds. */
    public record Point(String key, double value, long step, long timestampMs) {
    }

    /*
     * The batch's points, then (in the WITH, which PostgreSQL runs after the main statement) the latest table from
     * the batch's own latest point per key, kept only if it is not older than the stored one: points are only added
     * or overwritten here, so that equals a recount over run_metric, and it stays right when batches interleave (ON
     * CONFLICT compares with the newest committed row). Both in key order, so concurrent batches lock alike.
     */
    private static final Comparator<Point> IN_KEY_ORDER = Comparator.comparing(Point::key)
            .thenComparingLong(Point::step).thenComparingLong(Point::timestampMs);

    private static final String ADD_POINTS = "WITH p AS (SELECT * FROM unnest(?::varchar[], ?::float8[], ?::bigint[],"
            + " ?::bigint[]) AS p(key, value, step, ts)),"
            + " latest AS (INSERT INTO run_latest_metric (run_id, key, value, step, timestamp_ms)"
            + " SELECT DISTINCT ON (key) ?, key, value, step, ts FROM p ORDER BY key, step DESC, ts DESC"
            + " ON CONFLICT (run_id, key) DO UPDATE"
            + " SET value = EXCLUDED.value, step = EXCLUDED.step, timestamp_ms = EXCLUDED.timestamp_ms"
            + " WHERE (EXCLUDED.step, EXCLUDED.timestamp_ms)"
            + " >= (run_latest_metric.step, run_latest_metric.timestamp_ms))"
            + " INSERT INTO run_metric (id, run_id, key, value, step, timestamp_ms)"
            + " SELECT nextval('run_metric_seq'), ?, key, value, step, ts FROM p"
            + " ON CONFLICT (run_id, key, step, timestamp_ms) DO UPDATE SET value = EXCLUDED.value";

    // (step, timestamp) is unique per key, so MLflow's last tie-breaker (the greater value) never decides here
    private static final String REFRESH_LATEST = "INSERT INTO run_latest_metric (run_id, key, value, step, timestamp_ms)"
            + " SELECT ?, k.key, p.value, p.step, p.timestamp_ms FROM unnest(?::varchar[]) AS k(key)"
            + " CROSS JOIN LATERAL (SELECT m.value, m.step, m.timestamp_ms FROM run_metric m"
            + " WHERE m.run_id = ? AND m.key = k.key ORDER BY m.step DESC, m.timestamp_ms DESC LIMIT 1) AS p"
            + " ON CONFLICT (run_id, key) DO UPDATE"
            + " SET value = EXCLUDED.value, step = EXCLUDED.step, timestamp_ms = EXCLUDED.timestamp_ms";

    /**
     * Logged points (MLflow's log-batch), in one statement whatever their number: one per (run, key, step,
     * timestamp), logging one again overwrites its value (within {@code points} too: the last one wins). Hold the
     * run's lock, shared or not.
     */
    public void addPoints(String runId, List<Point> points) {
        if (points.isEmpty()) {
            return;
        }
        Map<List<Object>, Point> unique = new HashMap<>();
        points.forEach(p -> unique.put(List.of(p.key(), p.step(), p.timestampMs()), p));
        List<Point> rows = unique.values().stream().sorted(IN_KEY_ORDER).toList();
        jdbc(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(ADD_POINTS)) {
                insert.setArray(1, connection.createArrayOf("varchar", rows.stream().map(Point::key).toArray()));
                insert.setArray(2, connection.createArrayOf("float8", rows.stream().map(Point::value).toArray()));
                insert.setArray(3, connection.createArrayOf("int8", rows.stream().map(Point::step).toArray()));
                insert.setArray(4, connection.createArrayOf("int8", rows.stream().map(Point::timestampMs).toArray()));
                insert.setString(5, runId);
                insert.setString(6, runId);
                insert.executeUpdate();
            }
        });
    }

    /** A stage's metric: one point per (run, key, step); a re-delivered event overwrites it. Hold the run's lock. */
    public void upsertAtStep(String runId, String key, double value, long step, long timestampMs) {
        RunMetric metric = find("runId = ?1 and key = ?2 and step = ?3", Sort.descending("timestampMs"),
                runId, key, step).firstResult();
        if (metric == null) {
            metric = new RunMetric();
            metric.runId = runId;
            metric.key = key;
            metric.step = step;
            persist(metric);
        }
        metric.value = value;
        metric.timestampMs = timestampMs;
        jdbc(connection -> refreshLatest(connection, runId, List.of(key)));
    }

    public List<RunMetric> history(String runId, String key) {
        return list("runId = ?1 and key = ?2", Sort.ascending("step", "timestampMs"), runId, key);
    }

    /** The latest value of each metric: highest step, then latest timestamp. */
    public Map<String, Double> latest(String runId) {
        Map<String, Double> latest = new LinkedHashMap<>();
        latestPoints(List.of(runId)).forEach(metric -> latest.put(metric.key, metric.value));
        return latest;
    }

    /** The latest point of each metric of each run (not managed entities: they have no id), by run then key. */
    @SuppressWarnings("unchecked")
    public List<RunMetric> latestPoints(List<String> runIds) {
        List<Object[]> rows = getEntityManager().createNativeQuery("SELECT run_id, key, value, step, timestamp_ms"
                        + " FROM run_latest_metric WHERE run_id IN (:runIds) ORDER BY run_id, key")
                .setParameter("runIds", runIds)
                .getResultList();
        return rows.stream().map(row -> {
            RunMetric metric = new RunMetric();
            metric.runId = (String) row[0];
            metric.key = (String) row[1];
            metric.value = ((Number) row[2]).doubleValue();
            metric.step = ((Number) row[3]).longValue();
            metric.timestampMs = ((Number) row[4]).longValue();
            return metric;
        }).toList();
    }

    /**
     * The most recently recorded value of {@code key} in any pipeline run (not the runs created through MLflow), read
     * from each run's latest point of it: a run's newest point unless it logged an older step after a newer one.
     */
    @SuppressWarnings("unchecked")
    public Optional<Double> newestValue(String key) {
        List<Number> values = getEntityManager().createNativeQuery("SELECT m.value FROM run_latest_metric m"
                        + " JOIN run r ON r.id = m.run_id AND r.spec IS NOT NULL"
                        + " WHERE m.key = :key ORDER BY m.timestamp_ms DESC, m.run_id DESC LIMIT 1")
                .setParameter("key", key)
                .getResultList();
        return values.stream().findFirst().map(Number::doubleValue);
    }

    @SuppressWarnings("unchecked")
    public List<String> keys(String runId) {
        return getEntityManager()
                .createNativeQuery("SELECT key FROM run_latest_metric WHERE run_id = :runId ORDER BY key")
                .setParameter("runId", runId)
                .getResultList();
    }

    private static void refreshLatest(Connection connection, String runId, Collection<String> keys) throws SQLException {
        try (PreparedStatement refresh = connection.prepareStatement(REFRESH_LATEST)) {
            refresh.setString(1, runId);
            refresh.setArray(2, connection.createArrayOf("varchar", keys.toArray()));
            refresh.setString(3, runId);
            refresh.executeUpdate();
        }
    }

    private interface Work {
        void execute(Connection connection) throws SQLException;
    }

    /** Runs {@code work} on the transaction's connection after writing what Hibernate holds (the run, its points). */
    private void jdbc(Work work) {
        getEntityManager().flush();
        getEntityManager().unwrap(Session.class).doWork(work::execute);
    }
}
