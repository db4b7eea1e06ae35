package dev.mlops.tracking.messaging;

import dev.mlops.common.event.InvalidEventException;
import dev.mlops.common.event.Stage;
import dev.mlops.common.event.StageEvent;
import dev.mlops.common.event.Topics;
import dev.mlops.tracking.service.RunEventRecorder;
import io.smallrye.common.annotation.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.util.concurrent.CompletionStage;

/**
 * Records every stage's completed event (params, metrics, artifacts, the stage's end). One channel per topic,
 * named after it; the record is acknowledged after the recorder's transaction committed, and unreadable
 * records are nacked to the dead-letter topic.
 */
@ApplicationScoped
public class StageCompletedConsumer {

    private static final Logger LOG = Logger.getLogger(StageCompletedConsumer.class);

    @Inject
    EventReader reader;
    @Inject
    RunEventRecorder recorder;

    @Incoming("mlops.ingest.completed")
    @Blocking
    public CompletionStage<Void> ingest(Message<String> record) {
        return record(Stage.INGEST, record);
    }

    @Incoming("mlops.preprocess.completed")
    @Blocking
    public CompletionStage<Void> preprocess(Message<String> record) {
        return record(Stage.PREPROCESS, record);
    }

    @Incoming("mlops.train.completed")
    @Blocking
    public CompletionStage<Void> train(Message<String> record) {
        return record(Stage.TRAIN, record);
    }

    @Incoming("mlops.evaluate.completed")
    @Blocking
    public CompletionStage<Void> evaluate(Message<String> record) {
        return record(Stage.EVALUATE, record);
    }

    @Incoming("mlops.image.completed")
    @Blocking
    public CompletionStage<Void> image(Message<String> record) {
        return record(Stage.IMAGE, record);
    }

    @Incoming("mlops.deploy.completed")
    @Blocking
    public CompletionStage<Void> deploy(Message<String> record) {
        return record(Stage.DEPLOY, record);
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
