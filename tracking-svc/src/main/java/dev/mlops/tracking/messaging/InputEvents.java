package dev.mlops.tracking.messaging;

import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.spec.PipelineSpec;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.runtime.messaging.EventMessages;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;

import java.time.Duration;

/** Publishes {@code mlops.pipeline.requested}, the event that starts a run's chain at ingest. */
@ApplicationScoped
public class PipelineRequests {

    /** Longer than the producer's delivery timeout (application.properties), so Kafka's own error surfaces. */
    private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

    @Inject
    @Channel(Topics.PIPELINE_REQUESTED)
    MutinyEmitter<String> emitter;

    @ConfigProperty(name = "quarkus.application.name")
    String serviceName;

    @Inject
    EventCounters events;

    /** Sends the request keyed by run id and waits for the broker's ack; throws if Kafka refuses it. */
    public void send(String runId, PipelineSpec spec) {
        emitter.sendMessage(EventMessages.of(Topics.PIPELINE_REQUESTED, runId, StageEvent.requested(runId, spec),
                        serviceName))
                .await().atMost(ACK_TIMEOUT);
        events.produced(Topics.PIPELINE_REQUESTED);
    }
}
