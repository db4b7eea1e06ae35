package dev.mlops.tracking.repository;

import dev.mlops.tracking.Run;
import dev.mlops.tracking.RunStatus;
import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Runs. The pipeline views (the list, the counts) take pipeline runs only: those with a spec, not the runs created
 * through the MLflow API.
 */
@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, String> {

    private static final String PIPELINE_RUN = "spec is not null";

    /** Pipeline runs, newest first. @param status only runs in this status; null for every run */
    public List<Run> newestFirst(RunStatus status, int page, int size) {
        Sort newest = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        return (status == null ? find(PIPELINE_RUN, newest) : find(PIPELINE_RUN + " and status = ?1", newest, status))
                .page(Page.of(page, size))
                .list();
    }

    /** Pipeline runs. @param status only runs in this status; null for every run */
    public long count(RunStatus status) {
        return status == null ? count(PIPELINE_RUN) : count(PIPELINE_RUN + " and status = ?1", status);
    }

    public Map<RunStatus, Long> countByStatus() {
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        for (RunStatus status : RunStatus.values()) {
            counts.put(status, 0L);
        }
        getEntityManager()
                .createQuery("SELECT r.status, count(r) FROM Run r WHERE r.spec IS NOT NULL GROUP BY r.status", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((RunStatus) row[0], (Long) row[1]));
        return counts;
    }
}
