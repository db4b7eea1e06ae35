package dev.mlops.tracking.messaging;

import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.service.RunChangeFeed;
import dev.mlops.tracking.service.RunEventRecorder;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.Arrays;

/**
 * Records every stage's completed event (params, metrics, artifacts, the stage's end, the event itself for
 * retries). The record is acknowledged once the recorder's transaction committed, retried while the database is
 * unavailable ({@link RecordingRetry}); unreadable records, and records the database refuses for good, are nacked
 * to the dead-letter topic.
 */
@ApplicationScoped
public class StageCompletedConsumer {

    private static final Logger LOG = Logger.getLogger(StageCompletedConsumer.class);

    private final EventReader reader;
    private final RunEventRecorder recorder;
    private final RecordingRetry retry;
    private final EventCounters events;
    private final RunChangeFeed changes;

    public StageCompletedConsumer(EventReader reader, RunEventRecorder recorder, RecordingRetry retry,
                                  EventCounters events, RunChangeFeed changes) {
        this.reader = reader;
        this.recorder = recorder;
        this.retry = retry;
        this.events = events;
        this.changes = changes;
    }

    /** One channel subscribed to every completed topic; the record's topic says which stage completed. */
    @Incoming(Topics.STAGE_COMPLETED_CHANNEL)
    public Uni<Void> onCompleted(Message<String> record) {
        String topic = record.getMetadata(IncomingKafkaRecordMetadata.class).orElseThrow().getTopic();
        events.consumed(topic);
        Stage stage = Arrays.stream(Stage.values()).filter(s -> s.completedTopic().equals(topic)).findFirst()
                .orElseThrow(() -> new IllegalStateException("not a completed topic: " + topic));
        StageEvent event;
        try {
            event = reader.completed(stage, record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("unreadable record on %s sent to %s: %s", topic, Topics.DEAD_LETTER,
                    Text.quote(e.getMessage()));
            return Uni.createFrom().completionStage(() -> record.nack(e));
        }
        return retry.recordThenAck(topic + " of run " + event.runId() + " (attempt " + event.attempt() + ")",
                () -> {
                    RunStatus run = recorder.recordCompleted(event, record.getPayload());
                    changes.stageChanged(event.runId(), stage.id(), "COMPLETED", event.attempt(), null);
                    changes.runChanged(event.runId(), run);
                }, record);
    }
}
