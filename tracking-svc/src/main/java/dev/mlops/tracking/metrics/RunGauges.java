package dev.mlops.tracking.metrics;

import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.repository.RunMetricRepository;
import dev.mlops.tracking.repository.RunRepository;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.EnumMap;
import java.util.Map;

/**
 * Gauges read from the database (so they hold across restarts and replicas), at most once per
 * {@link #MAX_AGE_MS} whatever the scrape rate: {@code mlops_runs{status=...}}, how many runs are RUNNING,
 * SUCCEEDED and FAILED; {@code mlops_last_run_accuracy}, the accuracy the newest evaluated run reached (NaN before
 * any run was evaluated).
 */
@ApplicationScoped
public class RunGauges {

    private static final Logger LOG = Logger.getLogger(RunGauges.class);
    private static final long MAX_AGE_MS = 5_000;
    static final String ACCURACY = "accuracy";

    private final RunRepository runs;
    private final RunMetricRepository metrics;

    private Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
    private double lastAccuracy = Double.NaN;
    private long readAt;

    public RunGauges(RunRepository runs, RunMetricRepository metrics) {
        this.runs = runs;
        this.metrics = metrics;
    }

    void register(@Observes StartupEvent startup, MeterRegistry registry) {
        for (RunStatus status : RunStatus.values()) {
            Gauge.builder("mlops.runs", this, gauges -> gauges.count(status))
                    .tag("status", status.name())
                    .description("Pipeline runs by status")
                    .register(registry);
        }
        Gauge.builder("mlops.last.run.accuracy", this, RunGauges::lastAccuracy)
                .description("Test accuracy of the newest evaluated run")
                .register(registry);
    }

    synchronized double count(RunStatus status) {
        refresh();
        return counts.getOrDefault(status, 0L);
    }

    synchronized double lastAccuracy() {
        refresh();
        return lastAccuracy;
    }

    private void refresh() {
        long now = System.currentTimeMillis();
        if (now - readAt <= MAX_AGE_MS) {
            return;
        }
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                counts = runs.countByStatus();
                lastAccuracy = metrics.newestValue(ACCURACY).orElse(Double.NaN);
            });
            readAt = now;
        } catch (RuntimeException e) {
            LOG.warnf("could not read the run gauges: %s", e.getMessage());
        }
    }
}
