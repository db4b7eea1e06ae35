package dev.mlops.runtime.stage;

import dev.mlops.common.event.Topics;
import dev.mlops.common.json.Json;
import dev.mlops.common.store.RunStop;
import dev.mlops.runtime.messaging.EventCounters;
import io.smallrye.reactive.messaging.kafka.api.KafkaMessageMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Every stop tracking-svc announces on {@code mlops.run.stops}, for {@link StoppedRuns}. Each instance reads them
 * all from the topic's oldest record: partition 0, where every notice goes, assigned to it without a consumer group
 * (META-INF/microprofile-config.properties); nothing is committed. Runs on the event loop: it only parses and
 * remembers.
 */
@ApplicationScoped
public class StopNoticeConsumer {

    private static final Logger LOG = Logger.getLogger(StopNoticeConsumer.class);

    private final StoppedRuns stoppedRuns;
    private final EventCounters events;

    public StopNoticeConsumer(StoppedRuns stoppedRuns, EventCounters events) {
        this.stoppedRuns = stoppedRuns;
        this.events = events;
    }

    @Incoming(Topics.RUN_STOPS)
    public CompletionStage<Void> onStop(Message<String> record) {
        events.consumed(Topics.RUN_STOPS);
        Optional<String> runId = record.getMetadata(KafkaMessageMetadata.class).map(KafkaMessageMetadata::getKey)
                .filter(String.class::isInstance).map(String.class::cast);
        try {
            RunStop stop = Json.read(record.getPayload(), RunStop.class);
            if (runId.isEmpty() || stop.stoppedBy() == null) {
                throw new IllegalArgumentException("no run id key or no stoppedBy");
            }
            stoppedRuns.remember(runId.get(), stop);
        } catch (RuntimeException e) {
            // the stop's marker in the store still keeps the run's stages from working
            LOG.warnf("unreadable record on %s ignored: %s", Topics.RUN_STOPS, e.getMessage());
        }
        return record.ack();
    }
}
