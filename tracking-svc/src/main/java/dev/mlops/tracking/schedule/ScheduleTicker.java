package dev.mlops.tracking.schedule;

import dev.mlops.tracking.repository.DbClock;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Looks for due schedules every {@code mlops.schedules.tick-interval} ({@code off}: never, for a replica that
 * should start no scheduled runs). A failure (PostgreSQL out of reach ...) is logged and the next tick tries again.
 */
@ApplicationScoped
public class ScheduleTicker {

    private static final Logger LOG = Logger.getLogger(ScheduleTicker.class);

    private final ScheduleRunner runner;

    public ScheduleTicker(ScheduleRunner runner) {
        this.runner = runner;
    }

    @Scheduled(identity = "schedules", every = "${mlops.schedules.tick-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void tick() {
        try {
            runner.runDue(DbClock.now());
        } catch (RuntimeException e) {
            LOG.warnf("schedules: could not start the due runs, trying again at the next tick: %s", e.toString());
        }
    }
}
