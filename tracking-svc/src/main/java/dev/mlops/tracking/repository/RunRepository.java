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

@ApplicationScoped
public class RunRepository implements PanacheRepositoryBase<Run, String> {

    /** @param status only runs in this status; null for every run */
    public List<Run> newestFirst(RunStatus status, int page, int size) {
        Sort newest = Sort.descending("createdAt").and("id", Sort.Direction.Descending);
        return (status == null ? findAll(newest) : find("status", newest, status))
                .page(Page.of(page, size))
                .list();
    }

    public long count(RunStatus status) {
        return status == null ? count() : count("status", status);
    }

    public Map<RunStatus, Long> countByStatus() {
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        for (RunStatus status : RunStatus.values()) {
            counts.put(status, 0L);
        }
        getEntityManager()
                .createQuery("SELECT r.status, count(r) FROM Run r GROUP BY r.status", Object[].class)
                .getResultList()
                .forEach(row -> counts.put((RunStatus) row[0], (Long) row[1]));
        return counts;
    }
}
