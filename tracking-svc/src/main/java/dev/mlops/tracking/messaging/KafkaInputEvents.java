package dev.mlops.tracking.messaging;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.runtime.messaging.EventMessages;
import dev.mlops.tracking.service.InputEvents;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;

/**
 * Publishes a stage's input event: {@code mlops.pipeline.requested}, which starts a run's chain at ingest, or,
 * for a retry, a completed event re-published with a new attempt. Keyed by run id, with CloudEvents headers,
 * on the event's own topic (the channel's default topic is the request topic).
 */
@ApplicationScoped
public class KafkaInputEvents implements InputEvents {

    /** Longer than the producer's delivery timeout (application.properties), so Kafka's own error surfaces. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    private final MutinyEmitter<String> emitter;
    private final String serviceName;
    private final EventCounters events;

    public KafkaInputEvents(@Channel(Topics.PIPELINE_REQUESTED) MutinyEmitter<String> emitter,
                            @ConfigProperty(name = "quarkus.application.name") String serviceName,
                            EventCounters events) {
        this.emitter = emitter;
        this.serviceName = serviceName;
        this.events = events;
    }

    @Override
    public void send(StageEvent event) {
        String topic = event.topic();
        emitter.sendMessage(EventMessages.of(topic, event.runId(), event, serviceName)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder()
                                .withKey(event.runId())
                                .withTopic(topic)
                                .build()))
                .await().atMost(ACK_TIMEOUT);
        events.produced(topic);
    }
}
