package dev.mlops.tracking.messaging;

import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.tracking.service.RunEventRecorder;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Arrays;
import java.util.concurrent.CompletionStage;

/**
 * Records every stage's completed event (params, metrics, artifacts, the stage's end). The record is acknowledged after the recorder's transaction committed, and unreadable
 * records are nacked to the dead-letter topic.
 */
@ApplicationScoped
public class StageCompletedConsumer {

    private static final Logger LOG = Logger.getLogger(StageCompletedConsumer.class);

    @Inject
    EventReader reader;
    @Inject
    RunEventRecorder recorder;
    @Inject
    EventCounters events;

    /** One channel subscribed to every completed topic; the record's topic says which stage completed. */
    @Incoming("mlops-stage-completed")
    @Blocking
    public CompletionStage<Void> onCompleted(Message<String> record) {
        String topic = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow().getTopic();
        events.consumed(topic);
        Stage stage = Arrays.stream(Stage.values()).filter(s -> s.completedTopic().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not a completed topic: " + topic));
        return record(stage, record);
    }

    private CompletionStage<Void> record(Stage stage, Message<String> record) {
        StageEvent event;
        try {
            event = reader.completed(stage, record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("unreadable record on %s sent to %s: %s", stage.completedTopic(), Topics.DEAD_LETTER,
                    e.getMessage());
            return record.nack(e);
        }
        try {
            recorder.recordCompleted(event);
        } catch (RuntimeException e) {
            LOG.errorf(e, "could not record the %s event of run %s", stage.completedTopic(), event.runId());
            return record.nack(e);
        }
        return record.ack();
    }
}
