package dev.mlops.tracking.repository;

import dev.mlops.tracking.RunMetric;
import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class RunMetricRepository implements PanacheRepository<RunMetric> {

    /** A stage's metric: one point per (run, key, step); a re-delivered event overwrites it. Hold the run's lock. */
    public void upsertAtStep(String runId, String key, double value, long step, long timestampMs) {
        RunMetric metric = find("runId = ?1 and key = ?2 and step = ?3", Sort.descending("timestampMs"),
                runId, key, step).firstResult();
        if (metric == null) {
            add(runId, key, value, step, timestampMs);
        } else {
            metric.value = value;
            metric.timestampMs = timestampMs;
        }
    }

    /** A logged point (MLflow's log-batch): one per (run, key, step, timestamp); logging it again overwrites it. */
    public void upsertPoint(String runId, String key, double value, long step, long timestampMs) {
        RunMetric metric = find("runId = ?1 and key = ?2 and step = ?3 and timestampMs = ?4",
                runId, key, step, timestampMs).firstResult();
        if (metric == null) {
            add(runId, key, value, step, timestampMs);
        } else {
            metric.value = value;
        }
    }

    public List<RunMetric> history(String runId, String key) {
        return list("runId = ?1 and key = ?2", Sort.ascending("step", "timestampMs"), runId, key);
    }

    /** The latest value of each metric: highest step, then latest timestamp. */
    public Map<String, Double> latest(String runId) {
        Map<String, Double> latest = new LinkedHashMap<>();
        latestPoints(runId).forEach(metric -> latest.put(metric.key, metric.value));
        return latest;
    }

    /** The latest point of each metric (highest step, then latest timestamp), by key. */
    public List<RunMetric> latestPoints(String runId) {
        return latestPoints(List.of(runId));
    }

    /** The latest point of each metric of each run, by run then key, in one query. */
    @SuppressWarnings("unchecked")
    public List<RunMetric> latestPoints(List<String> runIds) {
        return getEntityManager().createNativeQuery("SELECT DISTINCT ON (run_id, key) * FROM run_metric"
                        + " WHERE run_id IN (:runIds) ORDER BY run_id, key, step DESC, timestamp_ms DESC, id DESC",
                        RunMetric.class)
                .setParameter("runIds", runIds)
                .getResultList();
    }

    /** The most recently recorded value of {@code key} in any pipeline run (not the runs created through MLflow). */
    public Optional<Double> newestValue(String key) {
        return find("key = ?1 and exists (select 1 from Run r where r.id = runId and r.spec is not null)",
                Sort.descending("timestampMs", "id"), key).firstResultOptional().map(metric -> metric.value);
    }

    public List<String> keys(String runId) {
        return getEntityManager()
                .createQuery("SELECT DISTINCT m.key FROM RunMetric m WHERE m.runId = :runId ORDER BY m.key", String.class)
                .setParameter("runId", runId)
                .getResultList();
    }

    private void add(String runId, String key, double value, long step, long timestampMs) {
        RunMetric metric = new RunMetric();
        metric.runId = runId;
        metric.key = key;
        metric.value = value;
        metric.step = step;
        metric.timestampMs = timestampMs;
        persist(metric);
    }
}
