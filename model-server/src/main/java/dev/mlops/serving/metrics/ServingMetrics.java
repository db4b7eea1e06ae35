package dev.mlops.serving.metrics;

import dev.mlops.serving.service.ServingModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The scoring endpoint's metrics (Prometheus names): {@code mlops_serving_requests_total{format,status}},
 * {@code mlops_serving_latency_seconds{outcome}} (a histogram), {@code mlops_serving_errors_total{status,error_code}},
 * {@code mlops_serving_predictions_total{class}} and {@code mlops_serving_model_info{name,version,run_id}}.
 * Meters are created once and cached: recording one costs a map lookup and an add.
 */
@Singleton
public class ServingMetrics {

    public static final String UNKNOWN_FORMAT = "unknown";

    private final MeterRegistry registry;
    private final Timer success;
    private final Timer failure;
    private final Map<String, Counter> requests = new ConcurrentHashMap<>();
    private final Map<String, Counter> errors = new ConcurrentHashMap<>();
    private final Map<String, Counter> predictions = new ConcurrentHashMap<>();
    private volatile Counter[] servedClasses = new Counter[0];
    private volatile ServingModel served;
    private Gauge modelInfo;

    ServingMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.success = latency("success");
        this.failure = latency("error");
    }

    /** {@code model} now answers: its class counters and the model_info gauge (the previous model's goes). */
    public synchronized void modelServed(ServingModel model) {
        servedClasses = countersOf(model);
        served = model;
        if (modelInfo != null) {
            registry.remove(modelInfo);
        }
        modelInfo = Gauge.builder("mlops.serving.model.info", () -> 1).description("The served model (value 1)")
                .tag("name", Objects.toString(model.info().name(), "unknown"))
                .tag("version", Objects.toString(model.info().version(), "unknown"))
                .tag("run_id", Objects.toString(model.info().runId(), "unknown"))
                .register(registry);
    }

    /** One answered request of {@code model} (class indexes into its labels). */
    public void scored(ServingModel model, String format, int[] classes, long nanos) {
        success.record(nanos, TimeUnit.NANOSECONDS);
        requests(format, 200).increment();
        Counter[] counters = classCounters(model);
        if (classes.length == 1) {
            counters[classes[0]].increment();
            return;
        }
        int[] counts = new int[counters.length];
        for (int c : classes) {
            counts[c]++;
        }
        for (int c = 0; c < counts.length; c++) {
            if (counts[c] > 0) {
                counters[c].increment(counts[c]);
            }
        }
    }

    /** The counters of {@code model}'s classes: the cached ones while it is the served model (a request may outlive a swap). */
    private Counter[] classCounters(ServingModel model) {
        return model == served ? servedClasses : countersOf(model);
    }

    private Counter[] countersOf(ServingModel model) {
        List<String> labels = model.classLabels();
        Counter[] counters = new Counter[labels.size()];
        for (int c = 0; c < counters.length; c++) {
            counters[c] = predictions.computeIfAbsent(labels.get(c), label -> Counter.builder("mlops.serving.predictions")
                    .description("Predictions answered, by class").tag("class", label).register(registry));
        }
        return counters;
    }

    public void failed(int status, String errorCode, long nanos) {
        failure.record(nanos, TimeUnit.NANOSECONDS);
        requests(UNKNOWN_FORMAT, status).increment();
        errors.computeIfAbsent(status + " " + errorCode, key -> Counter.builder("mlops.serving.errors")
                .description("Scoring requests answered with an error").tag("status", Integer.toString(status))
                .tag("error_code", errorCode).register(registry)).increment();
    }

    private Counter requests(String format, int status) {
        return requests.computeIfAbsent(format + " " + status, key -> Counter.builder("mlops.serving.requests")
                .description("Scoring requests (POST /invocations)").tag("format", format)
                .tag("status", Integer.toString(status)).register(registry));
    }

    private Timer latency(String outcome) {
        return Timer.builder("mlops.serving.latency").description("Time to answer POST /invocations, body read to answer")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofNanos(50_000))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
    }
}
