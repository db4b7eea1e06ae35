package dev.mlops.image.messaging;

import dev.mlops.common.event.Stage;
import dev.mlops.common.event.Topics;
import dev.mlops.image.service.ImageService;
import dev.mlops.runtime.stage.StageRunner;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import java.util.concurrent.CompletionStage;

/**
 * Builds the serving image for every evaluated model that is to be deployed and announces mlops.image.completed.
 */
@ApplicationScoped
public class EvaluateCompletedConsumer {

    private final StageRunner runner;
    private final ImageService images;
    private final MutinyEmitter<String> completed;

    public EvaluateCompletedConsumer(StageRunner runner, ImageService images,
                                     @Channel(Topics.IMAGE_COMPLETED) MutinyEmitter<String> completed) {
        this.runner = runner;
        this.images = images;
        this.completed = completed;
    }

    @Incoming(Topics.EVALUATE_COMPLETED)
    @Blocking
    public CompletionStage<Void> onEvaluateCompleted(Message<String> record) {
        return runner.run(Stage.IMAGE, record, completed, (input, progress) -> images.build(input));
    }
}
