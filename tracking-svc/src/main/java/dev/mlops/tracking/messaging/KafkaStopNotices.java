package dev.mlops.tracking.messaging;

import dev.mlops.common.event.Topics;
import dev.mlops.common.store.RunStop;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.runtime.messaging.EventMessages;
import dev.mlops.tracking.service.StopNotices;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes a run's stop on {@code mlops.run.stops}, keyed by run id, with CloudEvents headers, always to partition 0:
 * each stage instance reads that one partition, assigned, without joining a consumer group (stage-runtime).
 */
@ApplicationScoped
public class KafkaStopNotices implements StopNotices {

    private static final Logger LOG = Logger.getLogger(KafkaStopNotices.class);

    private final MutinyEmitter<String> emitter;
    private final String serviceName;
    private final EventCounters events;

    public KafkaStopNotices(@Channel(Topics.RUN_STOPS) MutinyEmitter<String> emitter,
                            @ConfigProperty(name = "quarkus.application.name") String serviceName,
                            EventCounters events) {
        this.emitter = emitter;
        this.serviceName = serviceName;
        this.events = events;
    }

    @Override
    public void announce(String runId, RunStop stop) {
        emitter.sendMessage(EventMessages.of(Topics.RUN_STOPS, runId, stop, serviceName)
                        .addMetadata(OutgoingKafkaRecordMetadata.<String>builder().withKey(runId).withPartition(Topics.SINGLE_PARTITION).build()))
                .subscribe().with(
                sent -> events.produced(Topics.RUN_STOPS),
                failure -> LOG.warnf("run %s: the stop notice was not sent (%s); the stages read the stop from the"
                        + " store before their work instead", runId, failure.getMessage()));
    }
}
