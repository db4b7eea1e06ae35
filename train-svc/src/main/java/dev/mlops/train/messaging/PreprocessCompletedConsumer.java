package dev.mlops.train.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.runtime.stage.StageRunner;
import dev.mlops.train.service.TrainService;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Train runs for every mlops.preprocess.completed event and announces mlops.train.completed. The grid search
 * runs on a worker thread (one run at a time); meanwhile the connector's polling thread keeps calling poll() on the
 * paused consumer, so a long search does not exceed max.poll.interval.ms.
 */
@ApplicationScoped
public class PreprocessCompletedConsumer {

    private final StageRunner runner;
    private final TrainService train;
    private final MutinyEmitter<String> completed;

    public PreprocessCompletedConsumer(StageRunner runner, TrainService train,
                                       @Channel(Topics.TRAIN_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.train = train;
        this.completed = completed;
    }

    @Incoming(Topics.PREPROCESS_COMPLETED)
    @Blocking
    public CompletionStage<Void> onPreprocessCompleted(Message<String> record) {
        return runner.run(Stage.TRAIN, record, completed, train::train);
    }
}
