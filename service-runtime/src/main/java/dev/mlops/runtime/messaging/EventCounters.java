package dev.mlops.runtime.messaging;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Events through Kafka, per topic, for Prometheus: {@code mlops_events_consumed_total{topic}} (records taken
 * from a topic, readable or not) and {@code mlops_events_produced_total{topic}} (records the broker acknowledged).
 */
@ApplicationScoped
public class EventCounters {

    private final MeterRegistry registry;
    private final Map<String, Counter> consumed = new ConcurrentHashMap<>();
    private final Map<String, Counter> produced = new ConcurrentHashMap<>();

    public EventCounters(MeterRegistry registry) {
        this.registry = registry;
    }

    public void consumed(String topic) {
        consumed.computeIfAbsent(topic, t -> counter("mlops.events.consumed", "Event records consumed", t)).increment();
    }

    public void produced(String topic) {
        produced.computeIfAbsent(topic, t -> counter("mlops.events.produced", "Event records produced", t)).increment();
    }

    private Counter counter(String name, String description, String topic) {
        return Counter.builder(name).description(description).tag("topic", topic).register(registry);
    }
}
