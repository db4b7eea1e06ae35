package dev.mlops.tracking.config;

import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.repository.RunRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.Map;

/**
 * Gauge {@code mlops_runs{status=...}}: how many runs are RUNNING, SUCCEEDED and FAILED. Counted in the
 * database (so it holds across restarts and replicas), at most once per {@link #MAX_AGE_MS} whatever the
 * scrape rate.
 */
@ApplicationScoped
public class RunStatusMetrics {

    private static final Logger LOG = Logger.getLogger(RunStatusMetrics.class);
    private static final long MAX_AGE_MS = 5_000;

    @Inject
    RunRepository runs;

    private Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
    private long countedAt;

    void register(@Observes StartupEvent startup, MeterRegistry registry) {
        for (RunStatus status : RunStatus.values()) {
            Gauge.builder("mlops.runs", this, metrics -> metrics.count(status))
                    .tag("status", status.name())
                    .description("Pipeline runs by status")
                    .register(registry);
        }
    }

    synchronized double count(RunStatus status) {
        long now = System.currentTimeMillis();
        if (now - countedAt > MAX_AGE_MS) {
            try {
                counts = QuarkusTransaction.requiringNew().call(runs::countByStatus);
                countedAt = now;
            } catch (RuntimeException e) {
                LOG.warnf("could not count runs by status: %s", e.getMessage());
            }
        }
        return counts.getOrDefault(status, 0L);
    }
}
