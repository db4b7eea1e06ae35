package dev.mlops.tracking.messaging;

import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.StageStatusEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.common.text.Text;
import dev.mlops.runtime.messaging.EventCounters;
import dev.mlops.tracking.RunStatus;
import dev.mlops.tracking.service.RunChangeFeed;
import dev.mlops.tracking.service.RunEventRecorder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Records STARTED / PROGRESS / FAILED from every stage. The record is acknowledged once the recorder's
 * transaction committed, retried while the database is unavailable ({@link RecordingRetry}); unreadable records,
 * and records the database refuses for good, are nacked, which sends them to the dead-letter topic.
 */
@ApplicationScoped
public class StageStatusConsumer {

    private static final Logger LOG = Logger.getLogger(StageStatusConsumer.class);

    private final EventReader reader;
    private final RunEventRecorder recorder;
    private final RecordingRetry retry;
    private final EventCounters events;
    private final RunChangeFeed changes;

    public StageStatusConsumer(EventReader reader, RunEventRecorder recorder, RecordingRetry retry,
                               EventCounters events, RunChangeFeed changes) {
        this.reader = reader;
        this.recorder = recorder;
        this.retry = retry;
        this.events = events;
        this.changes = changes;
    }

    @Incoming(Topics.STAGE_STATUS)
    public Uni<Void> consume(Message<String> record) {
        events.consumed(Topics.STAGE_STATUS);
        StageStatusEvent event;
        try {
            event = reader.status(record.getPayload());
        } catch (InvalidEventException e) {
            LOG.warnf("unreadable record on %s sent to %s: %s", Topics.STAGE_STATUS, Topics.DEAD_LETTER,
                    Text.quote(e.getMessage()));
            return Uni.createFrom().completionStage(() -> record.nack(e));
        }
        return retry.recordThenAck(event.status() + " of stage " + event.stage() + " for run " + event.runId(),
                () -> {
                    RunStatus run = recorder.recordStatus(event, record.getPayload());
                    if (run != null) {
                        changes.stageChanged(event.runId(), event.stage(), event.status().name(), event.attempt(),
                                event.progress());
                        changes.runChanged(event.runId(), run);
                    }
                }, record);
    }
}
