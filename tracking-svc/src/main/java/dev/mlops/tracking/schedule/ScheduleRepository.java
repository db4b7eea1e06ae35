package dev.mlops.tracking.schedule;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import io.quarkus.panache.common.Sort;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@ApplicationScoped
public class ScheduleRepository implements PanacheRepository<Schedule> {

    public Optional<Schedule> findByName(String name) {
        return find("name", name).firstResultOptional();
    }

    public List<Schedule> byName() {
        return listAll(Sort.ascending("name"));
    }

    /**
     * The due schedule with the oldest tick, its row locked until the transaction ends; rows another transaction
     * holds are skipped, so replicas claiming at once each get a different schedule (or none), never the same one.
     */
    public Optional<Schedule> lockNextDue(Instant now) {
        @SuppressWarnings("unchecked")
        List<Schedule> due = getEntityManager().createNativeQuery("SELECT * FROM schedule"
                        + " WHERE NOT suspended AND next_run_at <= :now ORDER BY next_run_at, id LIMIT 1"
                        + " FOR UPDATE SKIP LOCKED", Schedule.class)
                .setParameter("now", now)
                .getResultList();
        return due.stream().findFirst();
    }
}
