package dev.mlops.runtime.messaging;

import dev.mlops.common.json.Json;
import io.smallrye.reactive.messaging.ce.OutgoingCloudEventMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.net.URI;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.UUID;

/**
 * Outgoing event records: JSON value, keyed by run id (one run's events stay in order on one partition),
 * CloudEvents binary-mode headers ({@code ce_type} = topic, {@code ce_subject} = run id).
 */
public final class EventMessages {

    private EventMessages() {
    }

    public static Message<String> of(String topic, String runId, Object event, String sourceService) {
        OutgoingKafkaRecordMetadata<String> kafka = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(runId)
                .build();
        OutgoingCloudEventMetadata<String> cloudEvent = OutgoingCloudEventMetadata.<String>builder()
                .withId(UUID.randomUUID().toString())
                .withType(topic)
                .withSource(URI.create("urn:mlops:" + sourceService))
                .withSubject(runId)
                .withDataContentType("application/json")
                .withTimestamp(ZonedDateTime.now(ZoneOffset.UTC))
                .build();
        return Message.of(Json.write(event)).addMetadata(kafka).addMetadata(cloudEvent);
    }
}
