package dev.mlops.runtime.stage;

import dev.mlops.common.event.Stage;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a stage did, for Prometheus at /q/metrics: {@code mlops_stage_runs_seconds{stage,outcome}} (a histogram
 * of durations whose count is the runs by outcome), {@code mlops_stage_failures_total{stage,reason}},
 * {@code mlops_stage_retries_total{stage}} (attempts after the first), {@code mlops_stage_transient_failures_total{stage}}
 * (tries that failed transiently and were tried again) and the gauge {@code mlops_stage_in_flight{stage}}.
 */
@ApplicationScoped
public class StageMetrics {

    private final MeterRegistry registry;
    private final Map<Stage, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    public StageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** A try of the stage's work failed transiently and is tried again ({@code mlops_stage_transient_failures_total}). */
    public void transientFailure(Stage stage) {
        registry.counter("mlops.stage.transient.failures", "stage", stage.id()).increment();
    }

    /** A run of {@code stage} begins; close the returned sample with its outcome. */
    public Run started(Stage stage, int attempt) {
        if (attempt > 1) {
            registry.counter("mlops.stage.retries", "stage", stage.id()).increment();
        }
        inFlight.computeIfAbsent(stage, s -> registry.gauge("mlops.stage.in.flight",
                Tags.of("stage", s.id()), new AtomicInteger())).incrementAndGet();
        return new Run(stage, Timer.start(registry));
    }

    public final class Run {
        private final Stage stage;
        private final Timer.Sample sample;

        private Run(Stage stage, Timer.Sample sample) {
            this.stage = stage;
            this.sample = sample;
        }

        public void completed() {
            end("completed");
        }

        /** @param reason a short, bounded label: the exception's simple class name */
        public void failed(String reason) {
            registry.counter("mlops.stage.failures", "stage", stage.id(), "reason", reason).increment();
            end("failed");
        }

        private void end(String outcome) {
            sample.stop(Timer.builder("mlops.stage.runs")
                    .description("stage runs by outcome, with their durations")
                    .tags("stage", stage.id(), "outcome", outcome)
                    .publishPercentileHistogram()
                    .register(registry));
            inFlight.get(stage).decrementAndGet();
        }
    }
}
