package dev.mlops.tracking.repository;

import io.quarkus.hibernate.orm.panache.Panache;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Transaction-scoped PostgreSQL advisory locks. The status and completed topics are consumed on separate
 * threads (and REST calls run beside them), so every write for one run, and every get-or-create by name,
 * first takes the lock for its key: writers of the same run are serialized, and select-then-insert is safe.
 */
@ApplicationScoped
public class Locks {

    public void lockRun(String runId) {
        lock("run:" + runId);
    }

    /**
     * The run's lock shared with other holders of this mode, exclusive of {@link #lockRun}: for writes that stay
     * right however they interleave with each other (metric points, idempotent by key) but not with the run's
     * other writes.
     */
    public void lockRunShared(String runId) {
        lock("pg_advisory_xact_lock_shared", "run:" + runId);
    }

    public void lockExperiment(String name) {
        lock("experiment:" + name);
    }

    public void lockModel(String name) {
        lock("model:" + name);
    }

    public void lockSchedule(String name) {
        lock("schedule:" + name);
    }

    private void lock(String key) {
        lock("pg_advisory_xact_lock", key);
    }

    private void lock(String function, String key) {
        Panache.getEntityManager()
                .createNativeQuery("SELECT count(*) FROM (SELECT " + function + "(hashtextextended(:key, 0))) AS l")
                .setParameter("key", key)
                .getSingleResult();
    }
}
